import { type LaunchReport, launchCause } from '../launch/launch-report.js';
import { buildCard, buildPlainCard, type CardSpec } from './card.js';
import {
  cloudTrailEventConsoleUrl,
  clusterTasksConsoleUrl,
  taskDefinitionConsoleUrl,
} from './console-links.js';
import { composeLine, type FirstLine } from './first-line.js';
import { dateTime, placeWords } from './kind-rows.js';
import type { SlackMessage } from './slack-message.js';

/**
 * `RunTask of nightly-report:42 in batch (vpc-a) never launched: RESOURCE:MEMORY (started by
 * events-rule/nightly)`. A request that named the family alone ran its latest revision: the
 * family is shown alone.
 */
export function launchFirstLine(report: LaunchReport): FirstLine {
  const { launch, source } = report;
  const definition = launch.revision === null ? launch.family : `${launch.family}:${launch.revision}`;
  const head = `RunTask of ${definition} in ${source.label} never launched`;
  const tail = launch.startedBy ? ` (started by ${launch.startedBy})` : '';
  return composeLine(head, launchCause(launch), { tail });
}

/** The card of a RunTask call that launched nothing. */
export function buildLaunchMessage(report: LaunchReport): SlackMessage {
  return buildCard(launchCard(report));
}

export function buildPlainLaunchMessage(report: LaunchReport): SlackMessage {
  return buildPlainCard(launchCard(report), `CloudTrail event: ${report.launch.eventId}`);
}

function launchCard(report: LaunchReport): CardSpec {
  const { launch, source } = report;
  const first = launchFirstLine(report);
  const capacity =
    launch.capacityProviders.length > 0 ? launch.capacityProviders.join(', ') : launch.launchType;
  return {
    outcome: report.outcome,
    first,
    source,
    crossCheck: report.crossCheck,
    rows: [
      ['Reason', first.detailCut ? first.cause?.detail : undefined],
      ['Failures', failures(report)],
      ['Ran on', placeWords(source, launch.clusterName, capacity, launch.region)],
      ['When', dateTime(launch.at)],
      ['Called by', launch.invokedBy ? `${launch.invokedBy} as ${launch.caller ?? '?'}` : launch.caller],
      ['Group', launch.group],
      ['Asked for', launch.count && launch.count > 1 ? `${launch.count} tasks` : undefined],
    ],
    links: [
      [cloudTrailEventConsoleUrl(launch), 'CloudTrail event'],
      [clusterTasksConsoleUrl(launch), 'cluster tasks'],
      [taskDefinitionConsoleUrl(launch), 'task definition'],
    ],
    notes: ['no task was created, so there is nothing to cross-check'],
  };
}

/**
 * `RESOURCE:MEMORY on 9f17f53b…`, one a line, when the failures name where or say more than the
 * first line can (a sentence such as Fargate's "Capacity is unavailable at this time…").
 */
function failures(report: LaunchReport): string | undefined {
  const named = report.launch.failures.filter((f) => f.arn || f.detail || (f.reason?.length ?? 0) > 40);
  if (named.length === 0) return undefined;
  return named
    .slice(0, 5)
    .map((f) => {
      const where = f.arn ? ` on ${f.arn.slice(f.arn.lastIndexOf('/') + 1).slice(0, 12)}` : '';
      return `${f.reason ?? 'failure'}${where}${f.detail ? `: ${f.detail}` : ''}`;
    })
    .join('\n');
}
