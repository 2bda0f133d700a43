import { formatTaskDefinition } from '../task/arn.js';
import type { Outcome, TaskReport } from '../task/task.js';
import { formatDuration } from '../task/timestamp.js';
import { type Cause, causeLine, causeOf } from './failure-causes.js';
import { SLACK_LIMITS, truncate } from './slack-text.js';

/** Per outcome: the bar's colour, the emoji code for mrkdwn, the same emoji for plain text, a word. */
export const OUTCOME_STYLE: Record<Outcome, { color: string; emoji: string; glyph: string; word: string }> = {
  succeeded: { color: '#2EB67D', emoji: ':white_check_mark:', glyph: '✅', word: 'succeeded' },
  failed: { color: '#E01E5A', emoji: ':x:', glyph: '❌', word: 'failed' },
  stopped: { color: '#ECB22E', emoji: ':octagonal_sign:', glyph: '🛑', word: 'stopped' },
  'in-progress': { color: '#1D9BD1', emoji: ':hourglass_flowing_sand:', glyph: '⏳', word: 'in progress' },
};

/** A message's first line: the words, and the cause it names (whole or cut). */
export interface FirstLine {
  /** Outside text inside, raw: the caller makes it safe for where it goes. */
  line: string;
  cause?: Cause;
  /** The cause's detail did not fit and was cut (or left out): the details show it whole. */
  detailCut: boolean;
}

/**
 * What, where and why in one line, short enough for a header block with its emoji:
 * `customer-import:7 failed in batch (vpc-b): import out of memory (exit 137)`. A success says
 * how long it ran instead. Only the cause's detail is ever cut, never what comes before it.
 */
export function firstLine(report: TaskReport, max: number = SLACK_LIMITS.header - 3): FirstLine {
  const { task, source, outcome } = report;
  const definition = formatTaskDefinition(task.family, task.revision);
  const word = OUTCOME_STYLE[outcome].word;
  const status = outcome === 'in-progress' ? `${word} (${task.lastStatus})` : word;
  const head = `${definition} ${status} in ${source.label}`;
  if (outcome === 'succeeded') {
    const took = report.durationMs === null ? '' : ` · ${formatDuration(report.durationMs)}`;
    return { line: `${head}${took}`, detailCut: false };
  }
  return composeLine(head, causeOf(report), { max });
}

/**
 * A first line from its parts: `head` (what and where), then the cause (`joiner` before it), then
 * `tail` (a revision, who started it). Only the cause's detail is cut to fit `max`, to its error
 * name when it has one; a tail longer than a third of the line is cut. A head longer than `max`
 * is left whole: the header block cuts it, the notification shows it.
 */
export function composeLine(
  head: string,
  cause: Cause | undefined,
  {
    max = SLACK_LIMITS.header - 3,
    joiner = ': ',
    tail = '',
  }: { max?: number; joiner?: string; tail?: string } = {},
): FirstLine {
  const end = truncate(tail, Math.max(0, Math.floor(max / 3)));
  if (!cause) return { line: `${head}${end}`, detailCut: false };
  const room = Math.max(0, max - head.length - joiner.length - end.length);
  const whole = causeLine(cause, room);
  if (cause.detail === undefined || whole.endsWith(cause.detail))
    return { line: `${head}${joiner}${whole}${end}`, cause, detailCut: false };
  // Cut, the detail's error name reads better than half a sentence; the details show it whole.
  const name = ERROR_NAME.exec(cause.detail)?.[1];
  const said = name && cause.core.length + name.length + 2 <= room ? `${cause.core}: ${name}` : whole;
  return { line: `${head}${joiner}${said}${end}`, cause, detailCut: true };
}

/** `CannotPullContainerError` in `CannotPullContainerError: pull image manifest …`. */
const ERROR_NAME = /^([A-Z][A-Za-z0-9.]*(?:Error|Exception|Timeout|Failure)):/;
