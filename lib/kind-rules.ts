import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { BATCH_JOB_STATE_CHANGE } from '../lambda/domain/batch/batch-job.js';
import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { DEPLOYMENT_STATE_CHANGE, ROLLING_BACK } from '../lambda/domain/deployment/deployment-event.js';
import { API_CALL_VIA_CLOUDTRAIL } from '../lambda/domain/launch/launch-event.js';
import type { ReportKind } from '../lambda/domain/report/report.js';
import { SERVICE_ACTION, SERVICE_FAILURES } from '../lambda/domain/service/service-event.js';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import { TASK_STATE_CHANGE } from '../lambda/domain/task/event-schema.js';
import { renderedEventPattern, taskEventRules } from './event-pattern.js';
import { eventPatternSize, QUOTAS } from './quotas.js';

/** One EventBridge rule: its construct ID, what it says it forwards, its pattern. */
export interface NotifierRule {
  readonly id: string;
  readonly description: string;
  readonly pattern: EventPattern;
}

type RuleConfig = Pick<NotifierConfig, 'sources' | 'notifyOn' | 'ignoreGroups'> &
  Partial<Pick<NotifierConfig, 'events'>>;

/** Each kind's `detail-type` and `source`: what a bus policy lets forwarders put. */
export const KIND_EVENTS: Readonly<Record<ReportKind, { detailType: string; source: string }>> = {
  task: { detailType: TASK_STATE_CHANGE, source: 'aws.ecs' },
  service: { detailType: SERVICE_ACTION, source: 'aws.ecs' },
  deployment: { detailType: DEPLOYMENT_STATE_CHANGE, source: 'aws.ecs' },
  launch: { detailType: API_CALL_VIA_CLOUDTRAIL, source: 'aws.ecs' },
  batch: { detailType: BATCH_JOB_STATE_CHANGE, source: 'aws.batch' },
};

/**
 * The rules that bring in what the configuration notifies, one set per kind in `events`, each
 * matching exactly what the Lambda notifies of that kind from the configured clusters (a task
 * rule may let in more, never less), split to fit `maxPatternChars`.
 */
export function notifierRules(
  config: RuleConfig,
  maxPatternChars: number = QUOTAS.eventPatternSize.limit,
): NotifierRule[] {
  const events = config.events ?? ['task'];
  const clusters = [...new Set(config.sources.map((s) => s.clusterArn))];
  const rules: NotifierRule[] = [];
  if (events.includes('task'))
    rules.push(
      ...taskEventRules(config, maxPatternChars).map((rule) => ({
        id: rule.id,
        description: `ECS task state changes of ${rule.clusterArns.length} cluster(s) to the notifier`,
        pattern: rule.pattern,
      })),
    );
  if (events.includes('service'))
    rules.push(
      ...packRules(
        'ServiceEvents',
        'services that cannot start or place tasks',
        clusters,
        servicePattern,
        maxPatternChars,
      ),
    );
  if (events.includes('deployment'))
    rules.push(
      ...packRules(
        'DeploymentEvents',
        'deployments that failed or roll back',
        clusters,
        deploymentPattern,
        maxPatternChars,
      ),
    );
  if (events.includes('launch'))
    rules.push(
      ...packRules(
        'LaunchFailures',
        'RunTask calls that launched nothing',
        clusters,
        launchPattern,
        maxPatternChars,
      ),
    );
  if (events.includes('batch')) {
    const scopes = config.sources.map((s) => ({ clusterArn: s.clusterArn, jobQueues: s.jobQueues ?? [] }));
    rules.push(
      ...packRules('BatchJobFailures', 'Batch jobs that failed', scopes, batchPattern, maxPatternChars),
    );
  }
  return rules;
}

/** `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/`: what a new-format service ARN of the cluster starts with. */
function servicePrefix(clusterArn: string): string {
  const { partition, region, account, clusterName } = parseClusterArn(clusterArn);
  return `arn:${partition}:ecs:${region}:${account}:service/${clusterName}/`;
}

/** `arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/`: what the cluster's task ARNs start with. */
function taskPrefix(clusterArn: string): string {
  const { partition, region, account, clusterName } = parseClusterArn(clusterArn);
  return `arn:${partition}:ecs:${region}:${account}:task/${clusterName}/`;
}

/**
 * `ECS Service Action` events that say the service's tasks cannot start or be placed, of the
 * configured clusters (every service action event names its cluster in `detail.clusterArn`).
 */
export function servicePattern(clusterArns: readonly string[]): EventPattern {
  return {
    source: ['aws.ecs'],
    detailType: [SERVICE_ACTION],
    detail: { eventName: [...SERVICE_FAILURES], clusterArn: [...clusterArns] },
  };
}

/**
 * A failed deployment, or one rolling back (`reason` holds "rolling back"), of a service of the
 * configured clusters: deployment events name the service by ARN in `resources`, and some name no
 * cluster otherwise.
 */
export function deploymentPattern(clusterArns: readonly string[]): EventPattern {
  return {
    source: ['aws.ecs'],
    detailType: [DEPLOYMENT_STATE_CHANGE],
    resources: clusterArns.map((arn) => ({ prefix: servicePrefix(arn) })),
    detail: {
      eventName: ['SERVICE_DEPLOYMENT_FAILED', 'SERVICE_DEPLOYMENT_IN_PROGRESS'],
      $or: [{ eventName: ['SERVICE_DEPLOYMENT_FAILED'] }, { reason: [{ wildcard: `*${ROLLING_BACK}*` }] }],
    },
    // CDK types `resources` as ARNs; EventBridge takes any matcher there.
  } as unknown as EventPattern;
}

/**
 * `RunTask` calls CloudTrail recorded that returned an error or `failures`, naming a configured
 * cluster by short name or by ARN (any ARN ending `:cluster/NAME`: the call's own account and
 * region, as the bus is theirs), or none, for a cluster called `default`.
 */
export function launchPattern(clusterArns: readonly string[]): EventPattern {
  const names = [...new Set(clusterArns.map((arn) => parseClusterArn(arn).clusterName))];
  return {
    source: ['aws.ecs'],
    detailType: [API_CALL_VIA_CLOUDTRAIL],
    detail: {
      eventSource: ['ecs.amazonaws.com'],
      eventName: ['RunTask'],
      $or: [
        { errorCode: [{ exists: true }] },
        { responseElements: { failures: { reason: [{ exists: true }] } } },
      ],
      requestParameters: {
        cluster: [
          ...names,
          ...names.map((name) => ({ suffix: `:cluster/${name}` })),
          ...(names.includes('default') ? [{ exists: false }] : []),
        ],
      },
    },
  } as EventPattern;
}

/**
 * A Batch job that failed in a configured job queue, or whose task (its container's, the last
 * attempt's) ran on a configured cluster.
 */
export function batchPattern(
  scopes: readonly { clusterArn: string; jobQueues: readonly string[] }[],
): EventPattern {
  const queues = [...new Set(scopes.flatMap((s) => s.jobQueues))];
  const tasks = [...new Set(scopes.map((s) => taskPrefix(s.clusterArn)))].map((prefix) => ({ prefix }));
  const byTask = { container: { taskArn: tasks } };
  return {
    source: ['aws.batch'],
    detailType: [BATCH_JOB_STATE_CHANGE],
    detail: {
      status: ['FAILED'],
      // `$or` takes two branches at least.
      ...(queues.length > 0 ? { $or: [{ jobQueue: queues }, byTask] } : byTask),
    },
  } as EventPattern;
}

/**
 * Fills rules in order, an item (a cluster, a source) at a time, starting another rule when the
 * next would not fit; one item always fits (a cluster ARN is at most about 320 characters).
 */
function packRules<T>(
  idPrefix: string,
  what: string,
  items: readonly T[],
  patternOf: (items: readonly T[]) => EventPattern,
  maxPatternChars: number,
): NotifierRule[] {
  const rules: NotifierRule[] = [];
  let current: T[] = [];
  const fits = (candidate: readonly T[]) =>
    eventPatternSize(renderedEventPattern(patternOf(candidate))) <= maxPatternChars;
  const flush = () => {
    if (current.length === 0) return;
    rules.push({
      id: rules.length === 0 ? idPrefix : `${idPrefix}${rules.length + 1}`,
      description: `${capitalized(what)}, of ${current.length} configured place(s), to the notifier`,
      pattern: patternOf(current),
    });
    current = [];
  };
  for (const item of items) {
    if (current.length > 0 && !fits([...current, item])) flush();
    current.push(item);
  }
  flush();
  return rules;
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
