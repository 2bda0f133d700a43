import type { KnownBlock } from '@slack/types';
import type { Report } from '../report/report.js';
import { logTailBlocks } from './log-message.js';
import { buildReportMessage } from './report-message.js';
import type { SlackMessage } from './slack-message.js';
import { ourMrkdwn } from './slack-text.js';

/**
 * A failure as a thread: the card in the channel without the log tail (its first line already says
 * why, so the channel stays a list of failures), and the tail as the thread's first reply, read
 * where the failure is discussed. `reply` is absent when there are no lines to show.
 */
export function splitForThread(report: Report): { parent: SlackMessage; reply?: SlackMessage } {
  if (report.kind !== 'task' || !report.logs) return { parent: buildReportMessage(report) };
  const tail = logTailBlocks(report.logs);
  const parent = buildReportMessage({ ...report, logs: { ...report.logs, tail: { status: 'none' } } });
  if (tail.length === 0) return { parent };
  return {
    parent,
    reply: { text: `Last log lines of ${report.task.family}:${report.task.revision}`, blocks: tail },
  };
}

/**
 * The thread's first card with how often the job failed since it (`failed 3× since 07:00 UTC`,
 * in a last line), once it failed more than once; the replies hold each failure's card.
 */
export function withRepeatCount(parent: SlackMessage, count: number, since: number): SlackMessage {
  if (count < 2) return parent;
  const line: KnownBlock = {
    type: 'context',
    elements: [
      ourMrkdwn(
        `:repeat: *failed ${count}× since ${new Date(since).toISOString().slice(11, 16)} UTC*: each in the thread`,
      ),
    ],
  };
  const [attachment, ...rest] = parent.attachments ?? [];
  if (attachment)
    return {
      ...parent,
      attachments: [{ ...attachment, blocks: [...(attachment.blocks ?? []), line] }, ...rest],
    };
  return { ...parent, blocks: [...(parent.blocks ?? []), line] };
}

/** Members kept by ID in a thread's state, so a redelivered failure is not counted twice. */
export const THREAD_MEMBERS = 200;

/** What the ledger keeps of a failure thread: its first card, and which failures it counts. */
export interface ThreadState {
  thread: true;
  parent: SlackMessage;
  /** Short IDs of the failures counted, the first first (at most {@link THREAD_MEMBERS}). */
  members: string[];
  count: number;
}
