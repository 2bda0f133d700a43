import type { KnownBlock } from '@slack/types';
import { formatTaskDefinition } from './arn.js';
import { OUTCOME_STYLE, type SlackMessage, summaryLine } from './slack-message.js';
import { fieldTable, ourMrkdwn, plainText, SLACK_LIMITS, truncate } from './slack-text.js';
import { OUTCOMES, type Outcome, type TaskReport } from './task.js';

/** Failures named one by one, at most this many; the rest are counted. */
const MAX_NAMED = 20;

/**
 * One message for many stops of one source and family (a deployment, an array job): counts by
 * outcome, and the failures named with their exit codes and reasons.
 */
export function buildDigestMessage(reports: readonly TaskReport[]): SlackMessage {
  const first = reports[0];
  if (!first) throw new Error('a digest needs at least one task');
  const counts = new Map<Outcome, number>();
  for (const r of reports) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const worst =
    (['failed', 'stopped', 'succeeded', 'in-progress'] as const).find((o) => counts.has(o)) ?? first.outcome;
  const revisions = [...new Set(reports.map((r) => formatTaskDefinition(r.task.family, r.task.revision)))];
  const summary = OUTCOMES.filter((o) => counts.has(o))
    .map((o) => `${counts.get(o)} ${OUTCOME_STYLE[o].word}`)
    .join(', ');
  const title = `${revisions.length === 1 ? revisions[0] : first.task.family}: ${reports.length} tasks (${summary})`;

  const failures = reports.filter((r) => r.outcome === 'failed');
  // Twenty lines of at most 95 characters, and the count, fit in one field.
  const lines = failures.slice(0, MAX_NAMED).map((r) => {
    const exits = r.task.containers
      .filter((c) => c.exitCode !== null && c.exitCode !== 0)
      .map((c) => `${c.name} exit ${c.exitCode}`)
      .join(', ');
    const why = r.task.stoppedReason ?? r.task.stopCode ?? '';
    return truncate(`• ${r.task.taskId}: ${[exits, why].filter(Boolean).join(' — ')}`, 95);
  });
  if (failures.length > MAX_NAMED) lines.push(`…and ${failures.length - MAX_NAMED} more failed`);

  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(title, SLACK_LIMITS.header) },
    ...fieldTable([
      ['Source', first.source.label],
      ['Task definition', revisions.join(', ')],
      ['Outcomes', summary],
      ['Cluster', first.task.clusterName],
      ['Failed', lines.length > 0 ? lines.join('\n') : undefined],
    ]),
    {
      type: 'context',
      elements: [ourMrkdwn('One digest instead of a message per task: many stopped together.')],
    },
  ];
  return {
    ...summaryLine(`[${first.source.label}] ${title}`, OUTCOME_STYLE[worst]),
    attachments: [{ color: OUTCOME_STYLE[worst].color, blocks }],
  };
}
