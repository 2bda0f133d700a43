import { isRollback } from '../deployment/deployment-event.js';
import {
  type DeploymentReport,
  deploymentCause,
  deploymentFacts,
  rolledBackTo,
} from '../deployment/deployment-report.js';
import { formatTaskDefinition } from '../task/arn.js';
import { buildCard, buildPlainCard, type CardSpec } from './card.js';
import { serviceConsoleUrl, taskDefinitionConsoleUrl } from './console-links.js';
import { composeLine, type FirstLine } from './first-line.js';
import { dateTime, placeWords } from './kind-rows.js';
import type { SlackMessage } from './slack-message.js';

/**
 * `deployment ecs-svc/123 of web:13 failed in batch (vpc-b): circuit breaker: tasks failed to
 * start (rolled back to web:12)`: the deployment, its revision (or its service when DescribeServices
 * did not say), where, why, and where the service went back to; a rollback says it is rolling back.
 */
export function deploymentFirstLine(report: DeploymentReport): FirstLine {
  const { change, source } = report;
  const cause = deploymentCause(report);
  const back = rolledBackTo(report);
  const to = back?.family ? formatTaskDefinition(back.family, back.revision) : undefined;
  if (isRollback(change)) {
    // `deployment of web (service) rolling back in batch (vpc-b): circuit breaker: rolling back to
    // deployment ecs-svc/1302… — web:12`: the revision it goes back to, when DescribeServices says.
    const head = `deployment of ${change.service.serviceName} (service) rolling back in ${source.label}`;
    return composeLine(head, cause, { tail: to ? ` — ${to}` : '' });
  }
  const own = deploymentFacts(report);
  const of = own?.family
    ? formatTaskDefinition(own.family, own.revision)
    : `${change.service.serviceName} (service)`;
  const head = `deployment ${change.deploymentId} of ${of} failed in ${source.label}`;
  return composeLine(head, cause, { tail: to ? ` (rolled back to ${to})` : '' });
}

/** The card of a deployment that failed or is rolling back. */
export function buildDeploymentMessage(report: DeploymentReport): SlackMessage {
  return buildCard(deploymentCard(report));
}

export function buildPlainDeploymentMessage(report: DeploymentReport): SlackMessage {
  return buildPlainCard(
    deploymentCard(report),
    `Deployment ${report.change.deploymentId} of ${report.change.service.serviceArn}`,
  );
}

function deploymentCard(report: DeploymentReport): CardSpec {
  const { change, source, facts } = report;
  const first = deploymentFirstLine(report);
  const own = deploymentFacts(report);
  const back = rolledBackTo(report);
  const service = change.service;
  const links: CardSpec['links'] = [
    [serviceConsoleUrl(service, 'deployments'), 'deployments'],
    [serviceConsoleUrl(service), 'service'],
  ];
  if (own?.family)
    links.push([
      taskDefinitionConsoleUrl({ ...service, family: own.family, revision: own.revision }),
      'task definition',
    ]);
  return {
    outcome: report.outcome,
    first,
    source,
    crossCheck: report.crossCheck,
    checkedBy: {
      api: 'DescribeServices',
      what: 'deployment',
      eventSays: `${change.eventName} of ${change.deploymentId}`,
    },
    rows: [
      ['Reason', first.detailCut ? first.cause?.detail : undefined],
      ['Service', service.serviceName],
      ['Ran on', placeWords(source, service.clusterName, facts?.launchType, service.region)],
      ['When', dateTime(change.time ?? change.updatedAt)],
      ['Rollout', rollout(own)],
      [
        'Now running',
        back?.family ? `${formatTaskDefinition(back.family, back.revision)} (${back.id})` : undefined,
      ],
    ],
    links,
  };
}

/** `FAILED: tasks failed to start · 3 failed tasks`, as DescribeServices lists the deployment. */
function rollout(own: ReturnType<typeof deploymentFacts>): string | undefined {
  if (!own?.rolloutState) return undefined;
  const failed = own.failedTasks
    ? ` · ${own.failedTasks} failed task${own.failedTasks === 1 ? '' : 's'}`
    : '';
  return `${own.rolloutState}${own.rolloutStateReason ? `: ${own.rolloutStateReason}` : ''}${failed}`;
}
