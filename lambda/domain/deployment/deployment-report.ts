import type { Cause } from '../message/failure-causes.js';
import { type DeploymentFacts, deploymentOf, type ServiceFacts } from '../service/service-facts.js';
import type { CrossCheck, Outcome, Source } from '../task/task.js';
import { type DeploymentChange, isRollback } from './deployment-event.js';

/** A deployment that failed or is rolling back, as the message shows it. */
export interface DeploymentReport {
  kind: 'deployment';
  change: DeploymentChange;
  /** What DescribeServices said about the service, when it answered. */
  facts?: ServiceFacts;
  source: Source;
  outcome: Outcome;
  crossCheck: CrossCheck;
}

/** Failed and rolling back: failed; completed: succeeded; else in progress. */
export function deploymentOutcome(change: Pick<DeploymentChange, 'eventName' | 'reason'>): Outcome {
  if (change.eventName === 'SERVICE_DEPLOYMENT_FAILED' || isRollback(change)) return 'failed';
  return change.eventName === 'SERVICE_DEPLOYMENT_COMPLETED' ? 'succeeded' : 'in-progress';
}

/** The event's own deployment, as DescribeServices lists it. */
export function deploymentFacts(report: DeploymentReport): DeploymentFacts | undefined {
  return report.facts ? deploymentOf(report.facts, report.change.deploymentId) : undefined;
}

/**
 * Where the service went back to (or is going back to): the PRIMARY deployment DescribeServices
 * lists, when the event is a failure or a rollback and that deployment is not the failed one.
 */
export function rolledBackTo(report: DeploymentReport): DeploymentFacts | undefined {
  const { change, facts } = report;
  if (!facts) return undefined;
  const primary = facts.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) return undefined;
  if (isRollback(change)) return primary;
  return change.eventName === 'SERVICE_DEPLOYMENT_FAILED' && primary.id !== change.deploymentId
    ? primary
    : undefined;
}

/**
 * Why: ECS's reason without its `ECS deployment` prefix and final stop (`circuit breaker: tasks
 * failed to start`), else the rollout state's reason from DescribeServices.
 */
export function deploymentCause(report: DeploymentReport): Cause | undefined {
  const said = tidy(report.change.reason) ?? tidy(deploymentFacts(report)?.rolloutStateReason);
  if (!said) return undefined;
  const colon = said.indexOf(': ');
  // `circuit breaker: task failed to start` reads as a cause and its detail.
  return colon > 0 && colon < 40
    ? { core: said.slice(0, colon), detail: said.slice(colon + 2) }
    : { core: said };
}

function tidy(reason: string | undefined): string | undefined {
  const text = reason
    ?.replace(/\s+/g, ' ')
    .trim()
    .replace(/^ECS deployment /i, '')
    .replace(/\bdeploymentId (?=ecs-svc\/)/, 'deployment ')
    .replace(/\.$/, '');
  return text ? text : undefined;
}
