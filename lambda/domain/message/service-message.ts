import {
  latestServiceMessage,
  placementMeaning,
  type ServiceReport,
  serviceCause,
} from '../service/service-report.js';
import { formatTaskDefinition } from '../task/arn.js';
import { buildCard, buildPlainCard, type CardSpec } from './card.js';
import { serviceConsoleUrl, taskDefinitionConsoleUrl } from './console-links.js';
import { composeLine, type FirstLine } from './first-line.js';
import { dateTime, placeWords, shortTime } from './kind-rows.js';
import type { SlackMessage } from './slack-message.js';

/**
 * `web (service) in batch (vpc-b) cannot place tasks: RESOURCE:MEMORY — web:12`: the service,
 * where, what it cannot do and why, and its revision when DescribeServices named it.
 */
export function serviceFirstLine(report: ServiceReport): FirstLine {
  const { action, facts, source } = report;
  const head = `${action.service.serviceName} (service) in ${source.label}`;
  const revision = facts?.family ? ` — ${formatTaskDefinition(facts.family, facts.revision)}` : '';
  return composeLine(head, serviceCause(report), { joiner: ' ', tail: revision });
}

/** The card of a service whose tasks cannot start or be placed. */
export function buildServiceMessage(report: ServiceReport): SlackMessage {
  return buildCard(serviceCard(report));
}

export function buildPlainServiceMessage(report: ServiceReport): SlackMessage {
  return buildPlainCard(serviceCard(report), `Service: ${report.action.service.serviceArn}`);
}

function serviceCard(report: ServiceReport): CardSpec {
  const { action, facts, source } = report;
  const first = serviceFirstLine(report);
  const said = latestServiceMessage(report);
  const service = action.service;
  const links: CardSpec['links'] = [
    [serviceConsoleUrl(service), 'service'],
    [serviceConsoleUrl(service, 'deployments'), 'deployments'],
  ];
  if (facts?.family)
    links.push([
      taskDefinitionConsoleUrl({ ...service, family: facts.family, revision: facts.revision }),
      'task definition',
    ]);
  return {
    outcome: report.outcome,
    first,
    source,
    crossCheck: report.crossCheck,
    checkedBy: { api: 'DescribeServices', what: 'service' },
    rows: [
      ['Why', placementMeaning(action.reason)],
      ['Reason', first.detailCut ? first.cause?.detail : undefined],
      ['ECS says', said],
      [
        'Ran on',
        placeWords(
          source,
          service.clusterName,
          ...action.capacityProviders,
          ...action.containerInstances.slice(0, 3).map((id) => `instance ${id.slice(0, 8)}`),
          service.region,
        ),
      ],
      ['When', whenWords(report)],
      ['Tasks', taskCounts(report)],
      ['Repeats', repeatWords(report)],
    ],
    links,
  };
}

/** `2019-11-19 19:55:38 UTC · first reported 2019-11-06 19:09 UTC` when ECS has said it before. */
function whenWords(report: ServiceReport): string | undefined {
  const { time, createdAt } = report.action;
  const at = dateTime(time ?? createdAt);
  if (!time || !createdAt || time.getTime() - createdAt.getTime() < 60_000) return at;
  return `${at} · first reported ${shortTime(createdAt)}`;
}

/** `0 running of 3 desired, 2 pending`, from DescribeServices. */
function taskCounts(report: ServiceReport): string | undefined {
  const facts = report.facts;
  if (facts?.desiredCount === undefined) return undefined;
  const pending = facts.pendingCount ? `, ${facts.pendingCount} pending` : '';
  return `${facts.runningCount ?? 0} running of ${facts.desiredCount} desired${pending}`;
}

/** `4 more since the last message at 06:12 UTC (not sent one by one)`. */
function repeatWords(report: ServiceReport): string | undefined {
  const repeats = report.repeats;
  if (!repeats || repeats.count === 0) return undefined;
  const since = repeats.since ? ` since the message at ${shortTime(repeats.since, report.action.time)}` : '';
  return `${repeats.count} more of the same${since}, not sent one by one`;
}
