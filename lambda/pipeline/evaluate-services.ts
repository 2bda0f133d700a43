import pMap from 'p-map';
import type { DescribeServicesFn } from '../adapters/ecs-services.js';
import type { DeploymentChange } from '../domain/deployment/deployment-event.js';
import { type DeploymentReport, deploymentOutcome } from '../domain/deployment/deployment-report.js';
import { type Lookup, lookupCheck } from '../domain/report/cross-check.js';
import { filterOutcome } from '../domain/report/filters.js';
import type { Report } from '../domain/report/report.js';
import { resolveSourceOrNote } from '../domain/report/source.js';
import type { ServiceAction } from '../domain/service/service-event.js';
import { deploymentOf, type ServiceFacts } from '../domain/service/service-facts.js';
import type { ServiceIdentity } from '../domain/service/service-identity.js';
import { type ServiceReport, serviceOutcome } from '../domain/service/service-report.js';
import type { CrossCheck } from '../domain/task/task.js';
import type { EvaluateDeps, Evaluation } from './evaluate.js';

/** A service's event or a deployment's, as parsed. */
export type ServiceEvent =
  | { kind: 'service'; action: ServiceAction }
  | { kind: 'deployment'; change: DeploymentChange };

/**
 * Service and deployment events: cross-checked with DescribeServices (one call per cluster for
 * up to ten services), which names the revision, the deployments and the subnets that tell a
 * shared cluster's sources apart. One evaluation per event, in order.
 */
export async function evaluateServiceEvents(
  events: readonly ServiceEvent[],
  deps: EvaluateDeps,
  unreadable: (error: unknown) => Evaluation,
): Promise<Evaluation[]> {
  const services = events.map(serviceOf);
  const answers = await describeAll(services, deps.describeServices);
  return Promise.all(
    events.map(async (event, i) => {
      try {
        const service = services[i] as ServiceIdentity;
        const answer = answers.get(service.serviceArn) ?? { kind: 'not-run' };
        const facts = answer.kind === 'found' ? answer.value : undefined;
        const source = await resolveSourceOrNote(
          { ...service, ...(facts?.subnets[0] ? { subnetId: facts.subnets[0] } : {}) },
          deps.config,
          deps.lookupVpc,
        );
        const report: Report =
          event.kind === 'service'
            ? serviceReport(event.action, answer, source)
            : deploymentReport(event.change, answer, source);
        const skip = filterOutcome(report.outcome, deps.config);
        return skip ? { status: 'skipped', reason: skip, report } : { status: 'ready', report };
      } catch (error) {
        return unreadable(error);
      }
    }),
  );
}

/** A report of the event alone (nothing described, source unknown): what a skip says it is about. */
export function bareServiceReport(event: ServiceEvent): Report {
  const source = { label: '', configured: false };
  return event.kind === 'service'
    ? serviceReport(event.action, { kind: 'not-run' }, source)
    : deploymentReport(event.change, { kind: 'not-run' }, source);
}

function serviceOf(event: ServiceEvent): ServiceIdentity {
  return event.kind === 'service' ? event.action.service : event.change.service;
}

function serviceReport(
  action: ServiceAction,
  answer: Lookup<ServiceFacts>,
  source: ServiceReport['source'],
): ServiceReport {
  const facts = answer.kind === 'found' ? answer.value : undefined;
  return {
    kind: 'service',
    action,
    ...(facts ? { facts } : {}),
    source,
    outcome: serviceOutcome(action.eventName),
    crossCheck: lookupCheck(
      answer,
      facts?.family ? { family: facts.family, revision: facts.revision } : undefined,
    ),
  };
}

function deploymentReport(
  change: DeploymentChange,
  answer: Lookup<ServiceFacts>,
  source: DeploymentReport['source'],
): DeploymentReport {
  const facts = answer.kind === 'found' ? answer.value : undefined;
  return {
    kind: 'deployment',
    change,
    ...(facts ? { facts } : {}),
    source,
    outcome: deploymentOutcome(change),
    crossCheck: deploymentCheck(change, answer),
  };
}

/** Confirmed when DescribeServices still lists the deployment (naming its revision). */
function deploymentCheck(change: DeploymentChange, answer: Lookup<ServiceFacts>): CrossCheck {
  if (answer.kind !== 'found') return lookupCheck(answer);
  const own = deploymentOf(answer.value, change.deploymentId);
  if (!own)
    return {
      status: 'missing',
      detail: `DescribeServices no longer lists deployment ${change.deploymentId.slice(0, 80)}`,
    };
  return lookupCheck(answer, own.family ? { family: own.family, revision: own.revision } : undefined);
}

/** One DescribeServices batch per cluster and region, clusters two at a time. */
async function describeAll(
  services: readonly ServiceIdentity[],
  describeServices?: DescribeServicesFn,
): Promise<Map<string, Lookup<ServiceFacts>>> {
  const results = new Map<string, Lookup<ServiceFacts>>();
  if (!describeServices) return results;
  const byCluster = new Map<string, { region: string; clusterArn: string; arns: Set<string> }>();
  for (const service of services) {
    const key = `${service.region} ${service.clusterArn}`;
    const entry = byCluster.get(key) ?? {
      region: service.region,
      clusterArn: service.clusterArn,
      arns: new Set(),
    };
    entry.arns.add(service.serviceArn);
    byCluster.set(key, entry);
  }
  const answers = await pMap(
    byCluster.values(),
    ({ region, clusterArn, arns }) => describeServices(clusterArn, region, [...arns]),
    { concurrency: 2 },
  );
  for (const answer of answers) for (const [arn, result] of answer) results.set(arn, result);
  return results;
}
