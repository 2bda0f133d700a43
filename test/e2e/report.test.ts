import { describe, expect, test } from 'vitest';
import { expectThat, formatSummary, runCheck } from '../../e2e/report.js';

describe('a check', () => {
  test('that resolves prints one pass line with what it saw', async () => {
    const lines: string[] = [];

    const result = await runCheck(
      'one post per stop',
      async () => '2 posts',
      (line) => lines.push(line),
    );

    expect(result).toMatchObject({ name: 'one post per stop', passed: true, detail: '2 posts' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pass {2}one post per stop +2 posts \(\d+\.\d s\)$/);
  });

  test('that throws prints one FAIL line with the reason on one line, and does not throw', async () => {
    const lines: string[] = [];

    const result = await runCheck(
      'ledger item',
      async () => {
        expectThat(false, '0 items\nfor 2 posts');
        return 'never';
      },
      (line) => lines.push(line),
    );

    expect(result.passed).toBe(false);
    expect(lines[0]).toMatch(/^FAIL {2}ledger item +0 items \| for 2 posts \(/);
  });
});

describe('the summary', () => {
  const passed = { name: 'a', passed: true, detail: '', seconds: 1 };

  test('says every check passed, with the time in minutes and seconds', () => {
    expect(formatSummary([passed, passed], 151.4)).toBe('e2e: all 2 checks passed in 2 min 31 s');
  });

  test('counts the failures', () => {
    expect(formatSummary([passed, { ...passed, passed: false }], 42)).toBe(
      'e2e: 1 of 2 checks FAILED in 42 s',
    );
  });
});
