import { cleanText, truncate } from '../message/slack-text.js';

/** About this many characters of log go in a message, so the tail stays a glance. */
export const TAIL_MAX_CHARS = 1500;

/** A longer log line is cut, with an ellipsis. */
export const TAIL_LINE_MAX_CHARS = 200;

/**
 * Terminal escape sequences: CSI (`ESC [ … m`, colours and cursor moves), OSC (`ESC ] … BEL`,
 * titles and hyperlinks) and two-character escapes. What is left of control characters goes after.
 */
const ANSI =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

/** A log line as a reader should see it: no escape sequences, no control characters, tabs as spaces. */
export function cleanLogLine(line: string): string {
  return cleanText(line.replace(ANSI, '').replace(/\t/g, '    ')).trimEnd();
}

export interface TailSelection {
  /** Oldest first, newest last; each cleaned and cut to {@link TAIL_LINE_MAX_CHARS}. */
  lines: string[];
  /** Lines read but not shown (older ones). */
  omitted: number;
}

/**
 * The last `maxLines` lines of log events' messages (oldest first), within `maxChars` in all:
 * events that hold several lines are split, blank lines dropped, long lines cut. The newest line is
 * always shown.
 */
export function selectTailLines(
  messages: readonly string[],
  maxLines: number,
  maxChars: number = TAIL_MAX_CHARS,
): TailSelection {
  const all = messages.flatMap((m) => m.split(/\r\n|\r|\n/)).map(cleanLogLine);
  const lines = all.filter((line) => line.trim() !== '');
  const shown: string[] = [];
  let chars = 0;
  for (let i = lines.length - 1; i >= 0 && shown.length < maxLines; i--) {
    const line = truncate(lines[i] as string, TAIL_LINE_MAX_CHARS);
    if (shown.length > 0 && chars + line.length + 1 > maxChars) break;
    shown.push(line);
    chars += line.length + 1;
  }
  return { lines: shown.reverse(), omitted: lines.length - shown.length };
}
