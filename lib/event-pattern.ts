import type { EventPattern } from 'aws-cdk-lib/aws-events';
import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { TASK_STATE_CHANGE } from '../lambda/domain/task/event-schema.js';
import { eventPatternSize, QUOTAS } from './quotas.js';

/** One EventBridge rule's worth of sources: their clusters, and the pattern matching their stops. */
export interface TaskEventRule {
  /**
   * Construct ID of the rule: `TaskEvents`, `TaskEvents2`, … and `TaskEventsBySubnet`, … for the
   * subnet-filtered ones (the first keeps the ID a single rule had, so small layouts are unchanged).
   */
  readonly id: string;
  readonly clusterArns: readonly string[];
  /** The subnets the rule lets in; empty for a rule without a subnet filter. */
  readonly subnetIds: readonly string[];
  readonly pattern: EventPattern;
}

/** A cluster and the subnets it is filtered by (none: every task of it). */
interface ClusterFilter {
  readonly clusterArn: string;
  readonly subnetIds: readonly string[];
}

type RuleFilters = Pick<NotifierConfig, 'sources' | 'notifyOn' | 'ignoreGroups'>;

/**
 * The rules that bring the configured sources' task events in, with the Lambda's own filters
 * pushed into the pattern (`notifyOn`, one `ignoreGroups` prefix, `subnetIds`) so noise rarely
 * invokes it; a rule may let more in than the Lambda notifies, never less.
 * A cluster where any source lacks `subnetIds` wants every task, so it goes in a rule without
 * a subnet filter; clusters whose every source lists subnets go in rules with them. Clusters are
 * split, in order, across as many rules as keep each pattern within `maxPatternChars`
 * (EventBridge's default quota); a subnet-filtered rule lists only its own clusters' subnets, and a
 * cluster with more subnets than one rule holds has them spread over several.
 */
export function taskEventRules(
  config: RuleFilters,
  maxPatternChars: number = QUOTAS.eventPatternSize.limit,
): TaskEventRule[] {
  const wholeClusters = unique(config.sources.filter((s) => !s.subnetIds).map((s) => s.clusterArn));
  const subnetsOf = new Map<string, string[]>();
  for (const source of config.sources) {
    if (!source.subnetIds || wholeClusters.includes(source.clusterArn)) continue;
    subnetsOf.set(
      source.clusterArn,
      unique([...(subnetsOf.get(source.clusterArn) ?? []), ...source.subnetIds]),
    );
  }
  return [
    ...packRules(
      'TaskEvents',
      wholeClusters.map((clusterArn) => ({ clusterArn, subnetIds: [] })),
      config,
      maxPatternChars,
    ),
    ...packRules(
      'TaskEventsBySubnet',
      [...subnetsOf].map(([clusterArn, subnetIds]) => ({ clusterArn, subnetIds })),
      config,
      maxPatternChars,
    ),
  ];
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

/** The pattern as the template (and so EventBridge) holds it: CDK renames `detailType` to `detail-type`. */
export function renderedEventPattern(pattern: EventPattern): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(pattern).map(([key, value]) => [key === 'detailType' ? 'detail-type' : key, value]),
  );
}

/**
 * Fills rules in order, a cluster at a time, starting another rule when the next cluster would not
 * fit; a cluster that fits no rule alone is split by subnets (one subnet always fits: a cluster ARN
 * is at most about 320 characters).
 */
function packRules(
  idPrefix: string,
  filters: readonly ClusterFilter[],
  config: RuleFilters,
  maxPatternChars: number,
): TaskEventRule[] {
  const rules: TaskEventRule[] = [];
  let clusterArns: string[] = [];
  let subnetIds: string[] = [];
  const rule = (clusters: readonly string[], subnets: readonly string[]) => ({
    id: rules.length === 0 ? idPrefix : `${idPrefix}${rules.length + 1}`,
    clusterArns: [...clusters],
    subnetIds: [...subnets],
    pattern: taskEventPattern(config, clusters, subnets),
  });
  const fits = (clusters: readonly string[], subnets: readonly string[]) =>
    eventPatternSize(renderedEventPattern(taskEventPattern(config, clusters, subnets))) <= maxPatternChars;
  const flush = () => {
    if (clusterArns.length > 0) rules.push(rule(clusterArns, subnetIds));
    clusterArns = [];
    subnetIds = [];
  };
  for (const filter of filters) {
    const withIt = unique([...subnetIds, ...filter.subnetIds]);
    if (fits([...clusterArns, filter.clusterArn], withIt)) {
      clusterArns.push(filter.clusterArn);
      subnetIds = withIt;
      continue;
    }
    flush();
    if (fits([filter.clusterArn], filter.subnetIds)) {
      clusterArns = [filter.clusterArn];
      subnetIds = [...filter.subnetIds];
      continue;
    }
    for (const subnetId of filter.subnetIds) {
      if (subnetIds.length > 0 && !fits([filter.clusterArn], [...subnetIds, subnetId])) flush();
      clusterArns = [filter.clusterArn];
      subnetIds.push(subnetId);
    }
    flush();
  }
  flush();
  return rules;
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
