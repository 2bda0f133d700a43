import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { IncomingWebhookSendArguments } from '@slack/webhook';
import { formatTaskDefinition } from '../task/arn.js';
import type { CrossCheck, Outcome, Task, TaskReport } from '../task/task.js';
import { formatImage, formatTaskSize } from '../task/task-resources.js';
import { formatDuration } from '../task/timestamp.js';
import { taskConsoleUrl, taskDefinitionConsoleUrl } from './console-links.js';
import { logBlocks } from './log-message.js';
import {
  type FieldRow,
  fieldTable,
  notificationText,
  ourMrkdwn,
  plainText,
  SLACK_LIMITS,
  slackLink,
  tableFields,
  truncate,
} from './slack-text.js';

/**
 * What the webhook receives: `text` for the notification, a one-line summary as the top-level
 * block (shown instead of `text`, and as plain text), and the details inside a coloured attachment.
 */
export type SlackMessage = IncomingWebhookSendArguments & { text: string };

/** Per outcome: the bar's colour, the emoji code for mrkdwn, the same emoji for plain text, a word. */
export const OUTCOME_STYLE: Record<Outcome, { color: string; emoji: string; glyph: string; word: string }> = {
  succeeded: { color: '#2EB67D', emoji: ':white_check_mark:', glyph: '✅', word: 'succeeded' },
  failed: { color: '#E01E5A', emoji: ':x:', glyph: '❌', word: 'failed' },
  stopped: { color: '#ECB22E', emoji: ':octagonal_sign:', glyph: '🛑', word: 'stopped' },
  'in-progress': { color: '#1D9BD1', emoji: ':hourglass_flowing_sand:', glyph: '⏳', word: 'in progress' },
};

/** How long the summary line above the attachment may be: a line, not a second copy of the message. */
const SUMMARY_LINE = 300;

/**
 * A message's notification `text` and its summary line from the same words: in the text (which
 * Slack reads as mrkdwn) the outside words are made inert and the emoji is a code; the line is a
 * plain-text block, which Slack shows in place of the text.
 */
export function summaryLine(
  line: string,
  emoji?: { emoji: string; glyph: string },
): { text: string; blocks: SectionBlock[] } {
  return {
    text: truncate(`${emoji ? `${emoji.emoji} ` : ''}${notificationText(line)}`, SLACK_LIMITS.text),
    blocks: [{ type: 'section', text: plainText(`${emoji ? `${emoji.glyph} ` : ''}${line}`, SUMMARY_LINE) }],
  };
}

/** The message for one task: who (source, family:revision), what happened, and why. */
export function buildSlackMessage(report: TaskReport): SlackMessage {
  const { task, outcome } = report;
  const definition = formatTaskDefinition(task.family, task.revision);
  const status = statusWord(report);

  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(`${definition} ${status}`, SLACK_LIMITS.header) },
  ];
  if (report.crossCheck.status === 'mismatch') blocks.push(mismatchSection(report.crossCheck, definition));
  blocks.push(...fieldTable(summaryRows(report, definition, status)));
  if (report.crossCheck.status !== 'mismatch') blocks.push(crossCheckContext(report.crossCheck, definition));
  blocks.push(...consoleLinks(task));
  blocks.push(...logBlocks(report.logs));
  blocks.push(detailContext(report));

  return {
    ...summaryLine(headline(report, definition, status), OUTCOME_STYLE[outcome]),
    attachments: [{ color: OUTCOME_STYLE[outcome].color, blocks: blocks.slice(0, SLACK_LIMITS.blocks) }],
  };
}

/**
 * A text-only version of the same message, for when Slack rejects our blocks. The outside words
 * can neither ping nor link; mrkdwn has no way to keep them from showing as `*bold*`.
 */
export function buildPlainTextMessage(report: TaskReport): SlackMessage {
  const { task, source, crossCheck } = report;
  const definition = formatTaskDefinition(task.family, task.revision);
  const style = OUTCOME_STYLE[report.outcome];
  const lines = [
    `${style.emoji} ${notificationText(headline(report, definition, statusWord(report)))}`,
    source.note ? `:warning: Source uncertain: ${notificationText(truncate(source.note, 300))}` : '',
    `${crossCheckEmoji(crossCheck) ?? ''} ${notificationText(crossCheckSentence(crossCheck, definition))}`.trim(),
    task.stoppedReason ? `Stop reason: ${notificationText(truncate(task.stoppedReason, 1000))}` : '',
    `Task: ${notificationText(truncate(task.taskArn, 300))}`,
  ];
  return { text: truncate(lines.filter(Boolean).join('\n'), SLACK_LIMITS.text) };
}

function statusWord(report: TaskReport): string {
  const word = OUTCOME_STYLE[report.outcome].word;
  return report.outcome === 'in-progress' ? `${word} (${report.task.lastStatus})` : word;
}

/** `[source] family:revision failed (1 of 2 exited non-zero) on cluster`, as raw words. */
function headline(report: TaskReport, definition: string, status: string): string {
  const exits = exitSummary(report);
  return `[${report.source.label}] ${definition} ${status}${exits ? ` (${exits})` : ''} on ${report.task.clusterName}`;
}

function summaryRows(report: TaskReport, definition: string, status: string): FieldRow[] {
  const { task, source } = report;
  const exits = exitSummary(report);
  return [
    [
      'Source',
      `${source.label}${source.vpcId ? ` · ${source.vpcId}` : ''}${source.configured ? '' : ' (not configured)'}`,
    ],
    [':warning: Source uncertain', source.note],
    ['Task definition', task.revision === null ? `${definition} (revision unknown)` : definition],
    ['Outcome', `${status}${exits ? ` · ${exits}` : ''}`],
    ['Cluster', task.clusterName],
    ['Stop code', task.stopCode],
    ['Duration', report.durationMs === null ? undefined : formatDuration(report.durationMs)],
    ['Started', formatTime(task.startedAt ?? task.createdAt)],
    ['Stopped', formatTime(task.stoppedAt)],
    ['Started by', task.startedBy],
    ['Group', task.group],
    ['Stop reason', task.stoppedReason],
    ['Containers', containerLines(task)],
    ['Images', imageLines(task)],
    ['Task size', formatTaskSize(task.cpu, task.memory)],
  ];
}

function exitSummary(report: TaskReport): string {
  const codes = report.task.containers.filter((c) => c.exitCode !== null);
  if (codes.length === 0) return '';
  if (codes.length === 1) return `exit ${codes[0]?.exitCode}`;
  const failed = codes.filter((c) => c.exitCode !== 0);
  return failed.length === 0 ? 'all exit 0' : `${failed.length} of ${codes.length} exited non-zero`;
}

/** One line per container: name, exit code and reason; cut so that ten fit in a field. */
function containerLines(task: Task): string | undefined {
  if (task.containers.length === 0) return undefined;
  return task.containers
    .map((c) => {
      const exit = c.exitCode === null ? 'no exit code' : `exit ${c.exitCode}`;
      return `• ${truncate(c.name, 60)}: ${exit}${c.reason ? ` — ${truncate(c.reason, 120)}` : ''}`;
    })
    .join('\n');
}

/** One line per container with an image: name, `repository:tag` and the digest's first 12. */
function imageLines(task: Task): string | undefined {
  const lines = task.containers.flatMap((c) => {
    const image = formatImage(c.image, c.imageDigest);
    return image ? [`• ${truncate(c.name, 40)}: ${image}`] : [];
  });
  return lines.length === 0 ? undefined : lines.join('\n');
}

/** A mismatch in its own section, headed by a warning: what the event said, what DescribeTasks said. */
function mismatchSection(crossCheck: CrossCheck, definition: string): SectionBlock {
  const described = describedDefinition(crossCheck) ?? 'another task definition';
  return {
    type: 'section',
    text: ourMrkdwn(':warning: *Task definition mismatch*: the event and DescribeTasks disagree'),
    fields: tableFields([
      ['The event says', definition],
      ['DescribeTasks says', described],
    ]),
  };
}

/** `family:revision` as DescribeTasks named it, when it did. */
function describedDefinition(crossCheck: CrossCheck): string | undefined {
  const { described } = crossCheck;
  return described ? formatTaskDefinition(described.family, described.revision) : undefined;
}

function crossCheckEmoji(crossCheck: CrossCheck): string | undefined {
  switch (crossCheck.status) {
    case 'confirmed':
      return ':white_check_mark:';
    case 'mismatch':
      return ':warning:';
    case 'missing':
    case 'unavailable':
      return ':grey_question:';
    case 'not-run':
      return undefined;
  }
}

/** The cross-check in words, outside words raw (the caller makes them safe for where they go). */
function crossCheckSentence(crossCheck: CrossCheck, definition: string): string {
  switch (crossCheck.status) {
    case 'confirmed':
      return `Confirmed by DescribeTasks: ${definition}`;
    case 'mismatch':
      return `Task definition mismatch: the event says ${definition}, DescribeTasks says ${describedDefinition(crossCheck) ?? '?'}`;
    case 'missing':
      return 'Unverified: DescribeTasks no longer knows this task (MISSING)';
    case 'unavailable':
      return `Unverified: DescribeTasks unavailable${crossCheck.detail ? ` (${truncate(crossCheck.detail, 300)})` : ''}`;
    case 'not-run':
      return 'Not cross-checked with DescribeTasks';
  }
}

/** The other cross-check results stay one compact line. */
function crossCheckContext(crossCheck: CrossCheck, definition: string): ContextBlock {
  const emoji = crossCheckEmoji(crossCheck);
  const sentence = plainText(crossCheckSentence(crossCheck, definition), SLACK_LIMITS.context);
  return { type: 'context', elements: emoji ? [ourMrkdwn(emoji), sentence] : [sentence] };
}

/**
 * The task and its task definition in the ECS console, with our own labels only (the IDs show
 * elsewhere). A link too long for the section is left out rather than cut; none, no section.
 */
export function consoleLinks(task: Task): SectionBlock[] {
  const links = [
    slackLink(taskConsoleUrl(task), 'task'),
    slackLink(taskDefinitionConsoleUrl(task), 'task definition'),
  ].filter((link) => link.length <= (SLACK_LIMITS.section - 20) / 2);
  return links.length === 0
    ? []
    : [{ type: 'section', text: ourMrkdwn(`ECS console: ${links.join('  ·  ')}`) }];
}

function detailContext(report: TaskReport): ContextBlock {
  const { task } = report;
  const where = [
    ...new Set([task.launchType, task.capacityProviderName, task.availabilityZone, task.subnetId]),
  ]
    .filter(Boolean)
    .join(' · ');
  const tags = Object.entries(task.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const lines = [`Task ${task.taskArn}`, where, tags ? `Tags: ${tags}` : ''].filter(Boolean);
  return {
    type: 'context',
    elements: lines
      .slice(0, SLACK_LIMITS.contextElements)
      .map((line) => plainText(line, SLACK_LIMITS.context)),
  };
}

/** `2025-03-04 02:10:41Z`: UTC, to the second. */
function formatTime(date: Date | undefined): string | undefined {
  if (!date) return undefined;
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}
