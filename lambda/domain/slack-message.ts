import type { KnownBlock, MrkdwnElement } from '@slack/types';
import type { IncomingWebhookSendArguments } from '@slack/webhook';
import { formatTaskDefinition } from './arn.js';
import { taskConsoleUrl, taskDefinitionConsoleUrl } from './console-links.js';
import { SLACK_LIMITS, safeText, slackLink, truncate } from './slack-text.js';
import type { CrossCheck, Outcome, TaskReport } from './task.js';
import { formatDuration } from './timestamp.js';

/** What the webhook receives: a `text` fallback plus Block Kit inside a coloured attachment. */
export type SlackMessage = IncomingWebhookSendArguments & { text: string };

export const OUTCOME_STYLE: Record<Outcome, { color: string; emoji: string; word: string }> = {
  succeeded: { color: '#2EB67D', emoji: ':white_check_mark:', word: 'succeeded' },
  failed: { color: '#E01E5A', emoji: ':x:', word: 'failed' },
  stopped: { color: '#ECB22E', emoji: ':octagonal_sign:', word: 'stopped' },
  'in-progress': { color: '#1D9BD1', emoji: ':hourglass_flowing_sand:', word: 'in progress' },
};

/** The message for one task: who (source, family:revision), what happened, and why. */
export function buildSlackMessage(report: TaskReport): SlackMessage {
  const { task, outcome } = report;
  const style = OUTCOME_STYLE[outcome];
  const definition = formatTaskDefinition(task.family, task.revision);
  const status = outcome === 'in-progress' ? `${style.word} (${task.lastStatus})` : style.word;

  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: safeText(`${definition} ${status}`, SLACK_LIMITS.header),
        emoji: true,
      },
    },
    { type: 'section', fields: summaryFields(report, definition, status) },
  ];
  if (task.stoppedReason) blocks.push(section(`*Stop reason*\n${safeText(task.stoppedReason, 2900)}`));
  const containers = containerLines(report);
  if (containers) blocks.push(section(containers));
  blocks.push(context([crossCheckText(report.crossCheck, definition)]));
  blocks.push(
    section(
      `${slackLink(taskConsoleUrl(task), `Task ${safeText(task.taskId, 100)}`)}  ·  ${slackLink(taskDefinitionConsoleUrl(task), `Task definition ${safeText(definition, 300)}`)}`,
    ),
  );
  blocks.push(context(detailLines(report)));

  return {
    text: fallbackText(report, definition, status),
    attachments: [{ color: style.color, blocks: blocks.slice(0, SLACK_LIMITS.blocks) }],
  };
}

/** A plain-text version of the same message, for when Slack rejects our blocks. */
export function buildPlainTextMessage(report: TaskReport): SlackMessage {
  const definition = formatTaskDefinition(report.task.family, report.task.revision);
  const status = OUTCOME_STYLE[report.outcome].word;
  const lines = [
    fallbackText(report, definition, status),
    report.task.stoppedReason ? `Stop reason: ${safeText(report.task.stoppedReason, 1000)}` : '',
    `Task: ${safeText(report.task.taskArn, 300)}`,
    crossCheckText(report.crossCheck, definition),
  ];
  return { text: truncate(lines.filter(Boolean).join('\n'), SLACK_LIMITS.text) };
}

function fallbackText(report: TaskReport, definition: string, status: string): string {
  const { task, source } = report;
  const exits = exitSummary(report);
  const line = `${OUTCOME_STYLE[report.outcome].emoji} [${source.label}] ${definition} ${status}${exits ? ` (${exits})` : ''} on ${task.clusterName}`;
  return safeText(line, SLACK_LIMITS.text);
}

function summaryFields(report: TaskReport, definition: string, status: string): MrkdwnElement[] {
  const { task, source } = report;
  const vpc = source.vpcId ? ` · \`${source.vpcId}\`` : '';
  const rows: [string, string | undefined][] = [
    ['Source', `${source.label}${vpc}${source.configured ? '' : ' (not configured)'}`],
    ['Task definition', task.revision === null ? `${definition} (revision unknown)` : definition],
    ['Outcome', `${status}${exitSummary(report) ? ` · ${exitSummary(report)}` : ''}`],
    ['Cluster', task.clusterName],
    ['Stop code', task.stopCode],
    ['Duration', report.durationMs === null ? undefined : formatDuration(report.durationMs)],
    ['Started', formatTime(task.startedAt ?? task.createdAt)],
    ['Stopped', formatTime(task.stoppedAt)],
    ['Started by', task.startedBy],
    ['Group', task.group],
  ];
  return rows
    .filter((row): row is [string, string] => Boolean(row[1]))
    .slice(0, SLACK_LIMITS.fields)
    .map(([name, value]) => ({ type: 'mrkdwn', text: `*${name}*\n${safeText(value, 1900)}` }));
}

function exitSummary(report: TaskReport): string {
  const codes = report.task.containers.filter((c) => c.exitCode !== null);
  if (codes.length === 0) return '';
  if (codes.length === 1) return `exit ${codes[0]?.exitCode}`;
  const failed = codes.filter((c) => c.exitCode !== 0);
  return failed.length === 0 ? 'all exit 0' : `${failed.length} of ${codes.length} exited non-zero`;
}

function containerLines(report: TaskReport): string {
  const lines = report.task.containers.map((c) => {
    const exit = c.exitCode === null ? 'no exit code' : `exit ${c.exitCode}`;
    const reason = c.reason ? ` — ${safeText(c.reason, 500)}` : '';
    return `• \`${safeText(c.name, 255)}\` ${exit}${reason}`;
  });
  if (lines.length === 0) return '';
  return truncate(`*Containers*\n${lines.join('\n')}`, SLACK_LIMITS.section);
}

function crossCheckText(crossCheck: CrossCheck, definition: string): string {
  const detail = crossCheck.detail ? safeText(crossCheck.detail, 500) : '';
  switch (crossCheck.status) {
    case 'confirmed':
      return `:white_check_mark: Confirmed by DescribeTasks: ${safeText(definition, 300)}`;
    case 'mismatch': {
      const described = crossCheck.described
        ? formatTaskDefinition(crossCheck.described.family, crossCheck.described.revision)
        : '?';
      return `:warning: *Mismatch*: DescribeTasks names ${safeText(described, 300)}, the event ${safeText(definition, 300)}`;
    }
    case 'missing':
      return ':grey_question: Unverified: DescribeTasks no longer knows this task (MISSING)';
    case 'unavailable':
      return `:grey_question: Unverified: DescribeTasks unavailable${detail ? ` (${detail})` : ''}`;
    case 'not-run':
      return 'Not cross-checked with DescribeTasks';
  }
}

function detailLines(report: TaskReport): string[] {
  const { task } = report;
  const where = [
    ...new Set([task.launchType, task.capacityProviderName, task.availabilityZone, task.subnetId]),
  ]
    .filter(Boolean)
    .join(' · ');
  const tags = Object.entries(task.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `Task \`${safeText(task.taskArn, 600)}\``,
    where ? safeText(where, 600) : '',
    tags ? `Tags: ${safeText(tags, 1500)}` : '',
  ].filter(Boolean);
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.section) } };
}

function context(lines: string[]): KnownBlock {
  return {
    type: 'context',
    elements: lines
      .slice(0, 10)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.context) })),
  };
}

/** `2025-03-04 02:10:41Z`: UTC, to the second. */
function formatTime(date: Date | undefined): string | undefined {
  if (!date) return undefined;
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}
