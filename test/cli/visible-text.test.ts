import { describe, expect, it } from 'vitest';
import { redactSecrets, shown, visible, visibleJson } from '../../cli/visible-text.js';

describe('redactSecrets', () => {
  it.each([
    [
      'a webhook URL',
      'got https://hooks.slack.com/services/T0/B0/tok3n now',
      'got https://hooks.slack.com/… now',
    ],
    ['credentials and a query', 'https://me:pw@host:8080/a?b=c', 'https://host:8080/…'],
    ['a Slack host without a scheme', 'hooks.slack.com/services/T0/B0/tok3n', 'hooks.slack.com/…'],
    ['a bot token', 'token xoxb-1234-5678-abcdef', 'token xoxb-…'],
    [
      'a URL ending a clause',
      'reach http://127.0.0.1:9/v4/abc: ECONNREFUSED',
      'reach http://127.0.0.1:9/…: ECONNREFUSED',
    ],
  ])('keeps no more than the scheme and host of %s', (_, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('leaves a URL without a path, and text without URLs, as they are', () => {
    expect(redactSecrets('http://127.0.0.1:4000 and events/a.json')).toBe(
      'http://127.0.0.1:4000 and events/a.json',
    );
  });
});

describe('what a terminal may be shown', () => {
  it('escapes controls and bidi overrides on one line', () => {
    expect(visible('a\u001b[2J\nb\u202ec\u009b')).toBe('a\\x1b[2J\\nb\\u202ec\\x9b');
  });

  it('escapes in JSON what JSON.stringify leaves raw, keeping the same value', () => {
    const json = JSON.stringify({ text: 'x\u202e\u009b\u007f\u2028' });
    const safe = visibleJson(json);
    expect(safe).not.toMatch(/[\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(safe)).toEqual(JSON.parse(json));
  });

  it('shows neither secrets nor controls', () => {
    expect(shown('\u001b]0;https://hooks.slack.com/services/T/B/x\u0007')).toBe(
      '\\x1b]0;https://hooks.slack.com/…',
    );
  });
});
