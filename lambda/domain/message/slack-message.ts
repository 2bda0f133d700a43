import type { ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { IncomingWebhookSendArguments } from '@slack/webhook';
import { formatTaskDefinition } from '../task/arn.js';
import type { CrossCheck, Task, TaskReport } from '../task/task.js';
import { taskConsoleUrl, taskDefinitionConsoleUrl } from './console-links.js';
import { firstLine, OUTCOME_STYLE } from './first-line.js';
import { logBlocks } from './log-message.js';
import {
  fieldTable,
  notificationText,
  ourMrkdwn,
  plainText,
  SLACK_LIMITS,
  slackLink,
  tableFields,
  truncate,
} from './slack-text.js';
import { detailRows } from './task-rows.js';

export { OUTCOME_STYLE } from './first-line.js';

/**
 * What the webhook receives: `text` for the notification, the first line as the top-level block
 * (shown instead of `text`), and the details inside a coloured attachment.
 */
export type SlackMessage = IncomingWebhookSendArguments & { text: string };

/** How a route shows a task that succeeded: a full card, one line, or nothing at all. */
export type SuccessStyle = 'card' | 'line' | 'none';

/** Emoji code (for mrkdwn) and glyph (for plain text) that lead a line. */
type Lead = { emoji: string; glyph: string };

/** The notification `text` for a line of raw words: outside words made inert, led by the emoji code. */
export function notificationLine(line: string, lead?: Lead): string {
  return truncate(`${lead ? `${lead.emoji} ` : ''}${notificationText(line)}`, SLACK_LIMITS.text);
}

/**
 * A message's notification `text` and a plain-text section block from the same words (for
 * messages with no header, such as a task's own `notify`).
 */
export function summaryLine(line: string, lead?: Lead): { text: string; blocks: SectionBlock[] } {
  return {
    text: notificationLine(line, lead),
    blocks: [{ type: 'section', text: plainText(`${lead ? `${lead.glyph} ` : ''}${line}`, 300) }],
  };
}

/** The first line as a header block, led by its glyph: big, bold, and plain text. */
export function headerBlock(line: string, lead: Lead): HeaderBlock {
  return { type: 'header', text: plainText(`${lead.glyph} ${line}`, SLACK_LIMITS.header) };
}

/**
 * The message for one task: the first line says what, where and why (header and notification
 * alike); the details follow, each once. A success is one quiet line unless `successes` asks
 * for a card, or something about it needs a reader's eye (a mismatch, an uncertain source).
 */
export function buildSlackMessage(
  report: TaskReport,
  options: { successes?: SuccessStyle } = {},
): SlackMessage {
  const { task, outcome } = report;
  const style = OUTCOME_STYLE[outcome];
  const first = firstLine(report);
  const needsEye = report.crossCheck.status === 'mismatch' || Boolean(report.source.note);
  if (outcome === 'succeeded' && options.successes !== 'card' && !needsEye) return successLine(report);

  const blocks: KnownBlock[] = [];
  if (report.crossCheck.status === 'mismatch') blocks.push(mismatchSection(report));
  if (report.source.note) blocks.push(warningSection('Source uncertain', report.source.note));
  blocks.push(...fieldTable(detailRows(report, first)));
  blocks.push(...consoleLinks(task));
  blocks.push(...logBlocks(report.logs));
  const footer = footerContext(report);
  if (footer) blocks.push(footer);

  return {
    text: notificationLine(first.line, style),
    blocks: [headerBlock(first.line, style)],
    attachments: [{ color: style.color, blocks: blocks.slice(0, SLACK_LIMITS.blocks) }],
  };
}

/** A success in one line: outcome, job, source and duration, then the task's link. */
function successLine(report: TaskReport): SlackMessage {
  const { line } = firstLine(report);
  const style = OUTCOME_STYLE.succeeded;
  const link = taskLink(report.task);
  // A task definition DescribeTasks could not confirm is worth a word, even on a quiet line.
  const { crossCheck } = report;
  const doubt = crossCheck.status === 'missing' || crossCheck.status === 'unavailable';
  return {
    text: notificationLine(line, style),
    blocks: [
      {
        type: 'context',
        elements: [
          plainText(`${style.glyph} ${line}`, SLACK_LIMITS.context),
          ...(link ? [ourMrkdwn(link)] : []),
          ...(doubt
            ? [ourMrkdwn(':grey_question:'), plainText(crossCheckWords(crossCheck), SLACK_LIMITS.context)]
            : []),
        ],
      },
    ],
  };
}

/**
 * A text-only version of the same message, for when Slack rejects our blocks. The outside words
 * can neither ping nor link; mrkdwn has no way to keep them from showing as `*bold*`.
 */
export function buildPlainTextMessage(report: TaskReport): SlackMessage {
  const { task, source, crossCheck } = report;
  const first = firstLine(report, 300);
  const lines = [
    notificationLine(first.line, OUTCOME_STYLE[report.outcome]),
    source.note ? `:warning: Source uncertain: ${notificationText(truncate(source.note, 300))}` : '',
    crossCheck.status === 'mismatch'
      ? `:warning: ${notificationText(mismatchSentence(report))}`
      : crossCheck.status === 'confirmed'
        ? ''
        : `:grey_question: ${notificationText(crossCheckWords(crossCheck))}`,
    first.detailCut && first.cause?.detail
      ? `Reason: ${notificationText(truncate(first.cause.detail, 1000))}`
      : '',
    `Task: ${notificationText(truncate(task.taskArn, 300))}`,
  ];
  return { text: truncate(lines.filter(Boolean).join('\n'), SLACK_LIMITS.text) };
}

/** A warning in a section of its own: our bold title, then what it is about as plain text. */
function warningSection(title: string, text: string): SectionBlock {
  return {
    type: 'section',
    text: ourMrkdwn(`:warning: *${title}*`),
    fields: [plainText(text, SLACK_LIMITS.field)],
  };
}

/** A mismatch in its own section, headed by a warning: what the event said, what DescribeTasks said. */
function mismatchSection(report: TaskReport): SectionBlock {
  const { task, crossCheck } = report;
  return {
    type: 'section',
    text: ourMrkdwn(':warning: *Task definition mismatch*: the event and DescribeTasks disagree'),
    fields: tableFields([
      ['The event says', formatTaskDefinition(task.family, task.revision)],
      ['DescribeTasks says', describedDefinition(crossCheck) ?? 'another task definition'],
    ]),
  };
}

function mismatchSentence(report: TaskReport): string {
  const event = formatTaskDefinition(report.task.family, report.task.revision);
  return `Task definition mismatch: the event says ${event}, DescribeTasks says ${describedDefinition(report.crossCheck) ?? '?'}`;
}

/** `family:revision` as DescribeTasks named it, when it did. */
function describedDefinition(crossCheck: CrossCheck): string | undefined {
  const { described } = crossCheck;
  return described ? formatTaskDefinition(described.family, described.revision) : undefined;
}

/** The cross-check in a few words (a mismatch has its own section); outside words raw. */
function crossCheckWords(crossCheck: CrossCheck): string {
  switch (crossCheck.status) {
    case 'confirmed':
    case 'mismatch':
      return 'confirmed by DescribeTasks';
    case 'missing':
      return 'unverified: DescribeTasks no longer knows this task';
    case 'unavailable':
      return `unverified: DescribeTasks unavailable${crossCheck.detail ? ` (${truncate(crossCheck.detail, 300)})` : ''}`;
    case 'not-run':
      return 'not cross-checked with DescribeTasks';
  }
}

/** The last, grey line: the cross-check (unless a mismatch said it louder) and the task's tags. */
function footerContext(report: TaskReport): ContextBlock | undefined {
  const { crossCheck, task } = report;
  const elements: ContextBlock['elements'] = [];
  if (crossCheck.status !== 'mismatch') {
    // Not checked at all (a dry run) is nothing to be alarmed by: no emoji.
    if (crossCheck.status === 'confirmed') elements.push(ourMrkdwn(':white_check_mark:'));
    else if (crossCheck.status !== 'not-run') elements.push(ourMrkdwn(':grey_question:'));
    elements.push(plainText(crossCheckWords(crossCheck), SLACK_LIMITS.context));
  }
  const tags = Object.entries(task.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  if (tags) elements.push(plainText(`Tags: ${tags}`, SLACK_LIMITS.context));
  return elements.length === 0 ? undefined : { type: 'context', elements };
}

/** A link to the task labelled by the start of its ID (letters, digits and `-` only). */
export function taskLink(task: Task, label = taskLabel(task)): string | undefined {
  const link = slackLink(taskConsoleUrl(task), label);
  return link.length <= (SLACK_LIMITS.section - 20) / 2 ? link : undefined;
}

/** `task 9a8b7c6d`: the ID's first eight letters, digits and dashes. */
function taskLabel(task: Task): string {
  const id = task.taskId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 8);
  return id ? `task ${id}` : 'task';
}

/**
 * The task (by its short ID) and its task definition in the ECS console, with our own labels. A
 * link too long for the section is left out rather than cut; none, no section.
 */
export function consoleLinks(task: Task): SectionBlock[] {
  const definition = slackLink(taskDefinitionConsoleUrl(task), 'task definition');
  const links = [
    taskLink(task),
    definition.length <= (SLACK_LIMITS.section - 20) / 2 ? definition : undefined,
  ].filter((link): link is string => link !== undefined);
  return links.length === 0
    ? []
    : [{ type: 'section', text: ourMrkdwn(`ECS console: ${links.join('  ·  ')}`) }];
}
