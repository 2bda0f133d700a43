import type { EventPattern } from 'aws-cdk-lib/aws-events';
import type { NotifierConfig, SourceConfig } from '../lambda/domain/config/config.js';
import { TASK_STATE_CHANGE } from '../lambda/domain/task/event-schema.js';

/** One EventBridge rule's worth of sources: their clusters, and the pattern matching their stops. */
export interface TaskEventRule {
  /** Construct ID of the rule: `TaskEvents`, or `TaskEventsBySubnet` for the subnet-filtered one. */
  readonly id: string;
  readonly clusterArns: readonly string[];
  readonly pattern: EventPattern;
}

/**
 * The rules that bring the configured sources' task events in, with the Lambda's own filters
 * pushed into the pattern (`notifyOn`, one `ignoreGroups` prefix, `subnetIds`) so noise rarely
 * invokes it; a rule may let more in than the Lambda notifies, never less.
 * A cluster where any source lacks `subnetIds` wants every task, so it goes in a rule without
 * a subnet filter; clusters whose every source lists subnets go in one with it.
 */
export function taskEventRules(
  config: Pick<NotifierConfig, 'sources' | 'notifyOn' | 'ignoreGroups'>,
): TaskEventRule[] {
  const wholeClusters = unique(config.sources.filter((s) => !s.subnetIds).map((s) => s.clusterArn));
  const bySubnet = config.sources.filter((s) => s.subnetIds && !wholeClusters.includes(s.clusterArn));
  const rules: TaskEventRule[] = [];
  if (wholeClusters.length > 0) {
    rules.push({
      id: 'TaskEvents',
      clusterArns: wholeClusters,
      pattern: taskEventPattern(config, wholeClusters),
    });
  }
  if (bySubnet.length > 0) {
    const clusterArns = unique(bySubnet.map((s) => s.clusterArn));
    const subnetIds = unique(bySubnet.flatMap((s: SourceConfig) => s.subnetIds ?? []));
    rules.push({
      id: 'TaskEventsBySubnet',
      clusterArns,
      pattern: taskEventPattern(config, clusterArns, subnetIds),
    });
  }
  return rules;
}

/** `source: aws.ecs`, `ECS Task State Change`, these clusters, `notifyOn`; group and subnet filters when they apply. */
export function taskEventPattern(
  config: Pick<NotifierConfig, 'notifyOn' | 'ignoreGroups'>,
  clusterArns: readonly string[],
  subnetIds: readonly string[] = [],
): EventPattern {
  return {
    source: ['aws.ecs'],
    detailType: [TASK_STATE_CHANGE],
    detail: {
      clusterArn: [...clusterArns],
      lastStatus: [...config.notifyOn],
      ...groupCondition(config.ignoreGroups),
      // EventBridge matches a value anywhere in the attachments' `details` list.
      ...(subnetIds.length > 0 ? { attachments: { details: { value: [...subnetIds] } } } : {}),
    },
  };
}

/**
 * The rule's share of `ignoreGroups`, never stricter than the Lambda's filter (which notifies a
 * task without a group). `anything-but` never matches a missing field, hence the `$or`; on event
 * buses it takes one prefix only, so with two or more the Lambda alone filters by group.
 */
function groupCondition(ignoreGroups: readonly string[]): Record<string, unknown> {
  const prefixes = unique(ignoreGroups);
  const [prefix] = prefixes;
  if (prefixes.length !== 1 || prefix === undefined) return {};
  return { $or: [{ group: [{ exists: false }] }, { group: [{ 'anything-but': { prefix } }] }] };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
