import { describe, expect, it } from 'vitest';
import { nameMatches } from '../../../../lambda/domain/config/name-pattern.js';

describe('nameMatches', () => {
  it.each([
    ['nightly-*', 'nightly-import', true],
    ['nightly-*', 'nightly-', true],
    ['nightly-*', 'nightly', false],
    ['nightly', 'nightly', true],
    ['nightly', 'nightly-import', false],
    ['*', 'anything', true],
  ])('%s takes %s: %s', (pattern, family, expected) => {
    expect(nameMatches(pattern, family)).toBe(expected);
  });
});
