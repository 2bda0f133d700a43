import type { ContextBlock, KnownBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import { streamOf } from '../logs/log-streams.js';
import type { ContainerLog, LogTail, TaskLogs } from '../task/task.js';
import { logStreamConsoleUrl } from './console-links.js';
import { ourMrkdwn, plainText, preformattedBlock, SLACK_LIMITS, slackLink, truncate } from './slack-text.js';

/** ECS allows ten containers in a task definition; more rows would only push Slack's limits. */
const MAX_CONTAINERS = 10;

/** Rows of two fields: five containers to a section. */
const CONTAINERS_PER_SECTION = SLACK_LIMITS.fields / 2;

/**
 * The message's log part: a link to each container's log stream in the CloudWatch console (or
 * the driver it logs with instead), then the failed container's last lines in a code block, or
 * why they are not there. A task definition that could not be read is one short context line.
 */
export function logBlocks(logs: TaskLogs | undefined): KnownBlock[] {
  if (!logs) return [];
  if (logs.unavailable !== undefined) {
    return [note(`No log links: the task definition could not be read (${truncate(logs.unavailable, 200)})`)];
  }
  return [...streamSections(logs.containers), ...tailBlocks(logs.tail, logs.containers)];
}

/** Only the failed container's last lines (or why they are not there): a thread reply's blocks. */
export function logTailBlocks(logs: TaskLogs | undefined): KnownBlock[] {
  return logs && logs.unavailable === undefined ? tailBlocks(logs.tail, logs.containers) : [];
}

/** One row per container: its name (outside text, plain) and our link, or what it logs with. */
function streamSections(containers: readonly ContainerLog[]): SectionBlock[] {
  const shown = containers.slice(0, MAX_CONTAINERS);
  const sections: SectionBlock[] = [];
  for (let at = 0; at < shown.length; at += CONTAINERS_PER_SECTION) {
    const fields = shown
      .slice(at, at + CONTAINERS_PER_SECTION)
      .flatMap((c) => [plainText(c.container, SLACK_LIMITS.field), whereItLogs(c)]);
    sections.push({
      type: 'section',
      ...(at === 0 ? { text: ourMrkdwn('*Logs* (CloudWatch console)') } : {}),
      fields,
    });
  }
  return sections;
}

function whereItLogs(log: ContainerLog): MrkdwnElement | PlainTextElement {
  if (log.stream) {
    const link = slackLink(logStreamConsoleUrl(log.stream), 'log stream');
    // A link cut short would lead nowhere: say so instead.
    return link.length <= SLACK_LIMITS.field
      ? ourMrkdwn(link)
      : plainText('log stream (its link is too long to show)', SLACK_LIMITS.field);
  }
  if (log.driver === undefined) return plainText('no log configuration', SLACK_LIMITS.field);
  if (log.note) return plainText(`${log.driver}: ${log.note}`, SLACK_LIMITS.field);
  return plainText(`logs with ${log.driver} (no link)`, SLACK_LIMITS.field);
}

function tailBlocks(tail: LogTail, containers: readonly ContainerLog[]): KnownBlock[] {
  switch (tail.status) {
    case 'shown': {
      const count = `${tail.lines.length} line${tail.lines.length === 1 ? '' : 's'}`;
      const earlier =
        tail.omitted > 0
          ? `; ${tail.omitted}${tail.more ? '+' : ''} earlier not shown`
          : tail.more
            ? '; earlier lines not read'
            : '';
      return [
        {
          type: 'context',
          elements: [
            ourMrkdwn('*Last log lines*'),
            plainText(`${tail.container}: the last ${count}${earlier}`, SLACK_LIMITS.context),
          ],
        },
        preformattedBlock(tail.lines.join('\n')),
      ];
    }
    case 'empty': {
      const stream = streamOf(containers, tail.container);
      const open = stream ? `: ${slackLink(logStreamConsoleUrl(stream), 'open the stream')}` : '';
      const text = `:grey_question: No log lines yet${open}`;
      return [
        {
          type: 'context',
          elements: [
            ourMrkdwn(text.length <= SLACK_LIMITS.context ? text : ':grey_question: No log lines yet'),
          ],
        },
      ];
    }
    case 'denied':
      return [note(`Log tail not shown: reading the log of ${tail.container} was denied (${tail.detail})`)];
    case 'unavailable':
      return [note(`Log tail not shown: CloudWatch Logs failed (${tail.detail})`)];
    case 'timeout':
      return [note('Log tail not shown: CloudWatch Logs did not answer in time')];
    case 'outside':
      return [note(`Log tail not shown: ${tail.detail}`)];
    case 'off':
    case 'none':
      return [];
  }
}

/** A short context line, led by our question-mark emoji; the words may hold outside text. */
function note(text: string): ContextBlock {
  return { type: 'context', elements: [ourMrkdwn(':grey_question:'), plainText(text, SLACK_LIMITS.context)] };
}
