import type { KnownBlock } from '@slack/types';
import { formatTaskDefinition } from './arn.js';
import { taskConsoleUrl, taskDefinitionConsoleUrl } from './console-links.js';
import { OUTCOME_STYLE, type SlackMessage } from './slack-message.js';
import { SLACK_LIMITS, safeText, slackLink, truncate } from './slack-text.js';
import type { Task } from './task.js';

/** Where a task runs, as a label: its cluster and, when known, its VPC. */
export function taskSourceLabel(task: Task): string {
  return task.vpcId ? `${task.clusterName} · ${task.vpcId}` : task.clusterName;
}

/**
 * A message a task sends about itself (`notify`): headed with its identity (cluster + VPC,
 * family:revision), then the caller's text, escaped and cut to Slack's limits.
 */
export function buildTaskTextMessage(task: Task, text: string): SlackMessage {
  const definition = formatTaskDefinition(task.family, task.revision);
  const source = taskSourceLabel(task);
  const body = safeText(text, SLACK_LIMITS.section - 100);
  const fields: [string, string | undefined][] = [
    ['Source', task.vpcId ? `${task.clusterName} · \`${task.vpcId}\`` : task.clusterName],
    ['Task definition', definition],
    ['Status', task.lastStatus],
    ['Launch type', task.launchType],
    ['Availability zone', task.availabilityZone],
  ];
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: safeText(`${definition} says`, SLACK_LIMITS.header), emoji: true },
    },
    {
      type: 'section',
      fields: fields
        .filter((row): row is [string, string] => Boolean(row[1]))
        .map(([name, value]) => ({ type: 'mrkdwn', text: `*${name}*\n${safeText(value, 1900)}` })),
    },
    { type: 'section', text: { type: 'mrkdwn', text: body || '(no text)' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${slackLink(taskConsoleUrl(task), `Task ${safeText(task.taskId, 100)}`)}  ·  ${slackLink(taskDefinitionConsoleUrl(task), `Task definition ${safeText(definition, 300)}`)}`,
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Task \`${safeText(task.taskArn, 600)}\`` }] },
  ];
  return {
    text: truncate(`[${safeText(source, 300)}] ${safeText(definition, 300)}: ${body}`, SLACK_LIMITS.text),
    attachments: [{ color: OUTCOME_STYLE['in-progress'].color, blocks }],
  };
}
