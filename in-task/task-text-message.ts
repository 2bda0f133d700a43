import type { KnownBlock } from '@slack/types';
import {
  consoleLinks,
  OUTCOME_STYLE,
  type SlackMessage,
  summaryLine,
} from '../lambda/domain/message/slack-message.js';
import { fieldTable, plainText, SLACK_LIMITS } from '../lambda/domain/message/slack-text.js';
import { formatTaskDefinition } from '../lambda/domain/task/arn.js';
import type { Task } from '../lambda/domain/task/task.js';

/** Where a task runs, as a label: its cluster and, when known, its VPC. */
export function taskSourceLabel(task: Task): string {
  return task.vpcId ? `${task.clusterName} · ${task.vpcId}` : task.clusterName;
}

/**
 * A message a task sends about itself (`notify`): headed with its identity (cluster + VPC,
 * family:revision), then the caller's text as plain text (shown as written: no formatting, links
 * or mentions), cut to Slack's limits.
 */
export function buildTaskTextMessage(task: Task, text: string): SlackMessage {
  const definition = formatTaskDefinition(task.family, task.revision);
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(`${definition} says`, SLACK_LIMITS.header) },
    ...fieldTable([
      ['Source', taskSourceLabel(task)],
      ['Task definition', definition],
      ['Status', task.lastStatus],
      ['Launch type', task.launchType],
      ['Availability zone', task.availabilityZone],
    ]),
    { type: 'section', text: plainText(text, SLACK_LIMITS.section) },
    ...consoleLinks(task),
    { type: 'context', elements: [plainText(`Task ${task.taskArn}`, SLACK_LIMITS.context)] },
  ];
  return {
    ...summaryLine(`[${taskSourceLabel(task)}] ${definition}: ${text}`),
    attachments: [{ color: OUTCOME_STYLE['in-progress'].color, blocks }],
  };
}
