import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from '../../../lambda/adapters/slack-errors.js';

const GOOD = 'https://hooks.slack.com/services/T000/B000/secret-token';

describe('webhookUrlProblem', () => {
  it('accepts an https webhook URL, and a loopback http one', () => {
    expect(webhookUrlProblem(GOOD)).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:4000/hook')).toBeUndefined();
  });

  it.each([
    ['a trailing space', `${GOOD} `, 'a space or a line break before or after it'],
    ['a trailing carriage return', `${GOOD}\r`, 'a space or a line break before or after it'],
    ['a leading newline', `\n${GOOD}`, 'a space or a line break before or after it'],
    ['a space inside', GOOD.replace('T000', 'T0 00'), 'a space or a control character'],
    ['no scheme', GOOD.slice('https://'.length), 'no https:// in front'],
    ['another scheme', GOOD.replace('https', 'ftp'), 'its scheme is "ftp:"'],
    ['credentials', GOOD.replace('https://', 'https://me:pw@'), 'user name or password'],
    ['a blocked port', 'http://127.0.0.1:6000/hook', 'port 6000'],
  ])('names what is wrong with %s, never repeating the URL', (_, url, problem) => {
    const said = webhookUrlProblem(url);
    expect(said).toContain(problem);
    expect(said).not.toContain('secret-token');
    expect(said).not.toContain('hooks.slack.com');
  });
});
