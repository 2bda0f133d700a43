import { describe, expect, it } from 'vitest';
import {
  cleanLogLine,
  selectTailLines,
  TAIL_LINE_MAX_CHARS,
} from '../../../../lambda/domain/logs/log-tail.js';

describe('selectTailLines', () => {
  it('keeps the last lines asked for, newest last, and counts the ones left out', () => {
    const messages = Array.from({ length: 13 }, (_, i) => `line ${i + 1}`);

    expect(selectTailLines(messages, 10)).toEqual({
      lines: messages.slice(3),
      omitted: 3,
    });
  });

  it('shows every line of a short log, none left out', () => {
    expect(selectTailLines(['starting', 'Killed'], 10)).toEqual({
      lines: ['starting', 'Killed'],
      omitted: 0,
    });
  });

  it('gives no lines for an empty stream, or one holding only blank events', () => {
    expect(selectTailLines([], 10)).toEqual({ lines: [], omitted: 0 });
    expect(selectTailLines(['', '  \n', '\r\n'], 10)).toEqual({ lines: [], omitted: 0 });
  });

  it('strips ANSI colour codes and other terminal sequences, and control characters', () => {
    const { lines } = selectTailLines(
      [
        '\u001b[31mERROR\u001b[0m failed',
        '\u001b[1;33mWARN\u001b[m slow \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007',
        'bell\u0007 nul\u0000 del\u007f \u202eevil',
      ],
      10,
    );

    expect(lines).toEqual(['ERROR failed', 'WARN slow link', 'bell nul del evil']);
  });

  it('splits an event holding several lines (a stack trace) into lines', () => {
    const { lines, omitted } = selectTailLines(
      ['Traceback (most recent call last):\n  File "x.py", line 1\r\nValueError: bad'],
      2,
    );

    expect(lines).toEqual(['  File "x.py", line 1', 'ValueError: bad']);
    expect(omitted).toBe(1);
  });

  it('cuts a long line with an ellipsis', () => {
    const [line] = selectTailLines(['x'.repeat(5000)], 10).lines;

    expect(line).toHaveLength(TAIL_LINE_MAX_CHARS);
    expect(line?.endsWith('…')).toBe(true);
  });

  it('stays within about 1,500 characters in all, always showing the newest line', () => {
    const messages = Array.from({ length: 40 }, (_, i) => `${i}`.padEnd(180, '.'));

    const { lines, omitted } = selectTailLines(messages, 40);

    expect(lines.join('\n').length).toBeLessThanOrEqual(1500);
    expect(lines.at(-1)).toBe(messages.at(-1));
    expect(lines.length + omitted).toBe(40);
    expect(selectTailLines(['y'.repeat(5000)], 1, 10).lines).toHaveLength(1);
  });

  it('keeps a line holding <!channel> or a link as written: the code block shows it literally', () => {
    expect(selectTailLines(['alert <!channel> see <https://x.example|here> & @here'], 10).lines).toEqual([
      'alert <!channel> see <https://x.example|here> & @here',
    ]);
  });
});

describe('cleanLogLine', () => {
  it('shows tabs as spaces and drops trailing blanks', () => {
    expect(cleanLogLine('\tat Main.run(Main.java:3)   ')).toBe('    at Main.run(Main.java:3)');
  });
});
