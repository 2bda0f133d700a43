import { describe, expect, test } from 'vitest';
import type { SourceConfig } from '../../lambda/domain/config/config.js';
import { renderedEventPattern, type TaskEventRule, taskEventRules } from '../../lib/event-pattern.js';
import { eventPatternSize } from '../../lib/quotas.js';
import { patternMatches } from './pattern-matcher.js';
import { taskStateChange } from './task-events.js';

const ACCOUNTS = ['123456789012', '210987654321'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const hex = (n: number) => n.toString(16).padStart(16, '0');
const cluster = (i: number) =>
  `arn:aws:ecs:${REGIONS[i % 3]}:${ACCOUNTS[i % 2]}:cluster/nightly-batch-processing-${String(i).padStart(3, '0')}`;
const subnets = (i: number) => [`subnet-0${hex(2 * i)}`, `subnet-0${hex(2 * i + 1)}`];

/**
 * 120 clusters: 40 wanted whole, 60 filtered by two subnets each, and 20 with a subnet-filtered
 * source beside a catch-all one (so wanted whole): far more than one rule of 2,048 characters holds.
 */
const SOURCES: SourceConfig[] = Array.from({ length: 120 }, (_, i) => i).flatMap((i): SourceConfig[] => {
  const label = `source-${i}`;
  if (i < 40) return [{ label, clusterArn: cluster(i) }];
  if (i < 100) return [{ label, clusterArn: cluster(i), subnetIds: subnets(i) }];
  return [
    { label, clusterArn: cluster(i), subnetIds: subnets(i) },
    { label: `${label}-rest`, clusterArn: cluster(i) },
  ];
});
const CONFIG = { sources: SOURCES, notifyOn: ['STOPPED' as const], ignoreGroups: ['service:'] };

/** Every combination that matters to the rules, for each cluster and one that is not configured. */
function generatedEvents(): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const clusters = [...Array.from({ length: 120 }, (_, i) => i), 999];
  for (const i of clusters) {
    const subnetIds = [...subnets(i), subnets((i + 1) % 120)[0], 'subnet-0ffffffffffffffff', undefined];
    for (const lastStatus of ['STOPPED', 'RUNNING']) {
      for (const group of [undefined, 'service:web', 'family:nightly']) {
        for (const subnetId of subnetIds) {
          const shape = { clusterArn: cluster(i), lastStatus, ...(group ? { group } : {}) };
          events.push(taskStateChange({ ...shape, ...(subnetId ? { subnetId } : {}) }, events.length));
        }
      }
    }
  }
  events.push(
    taskStateChange({ clusterArn: cluster(0), lastStatus: 'STOPPED', source: 'aws.ec2' }, events.length),
  );
  return events;
}

const matchesAny = (rules: readonly TaskEventRule[], event: unknown) =>
  rules.some((rule) => patternMatches(renderedEventPattern(rule.pattern), event));

/** What the Lambda can notify: a task of a configured cluster wanted whole, or in its own subnets. */
function wanted(event: Record<string, unknown>): boolean {
  const detail = event.detail as {
    clusterArn: string;
    lastStatus: string;
    group?: string;
    attachments?: unknown;
  };
  const sources = SOURCES.filter((s) => s.clusterArn === detail.clusterArn);
  if (event.source !== 'aws.ecs' || sources.length === 0 || detail.lastStatus !== 'STOPPED') return false;
  if (detail.group?.startsWith('service:')) return false;
  if (sources.some((s) => !s.subnetIds)) return true;
  const subnet = JSON.stringify(detail.attachments ?? '').match(/subnet-0[0-9a-f]+/)?.[0];
  return sources.some((s) => subnet !== undefined && s.subnetIds?.includes(subnet));
}

describe('rules split to fit the event pattern quota', () => {
  const split = taskEventRules(CONFIG);
  const single = taskEventRules(CONFIG, Number.POSITIVE_INFINITY);
  const events = generatedEvents();

  test('keeps every pattern within 2,048 characters, in several rules of each kind', () => {
    expect(single.map((r) => r.id)).toEqual(['TaskEvents', 'TaskEventsBySubnet']);
    expect(single.map((r) => eventPatternSize(renderedEventPattern(r.pattern)))).toSatisfy(
      (sizes: number[]) => sizes.every((size) => size > 2048),
    );
    expect(split.filter((r) => r.subnetIds.length === 0).length).toBeGreaterThan(1);
    expect(split.filter((r) => r.subnetIds.length > 0).length).toBeGreaterThan(1);
    for (const rule of split)
      expect(eventPatternSize(renderedEventPattern(rule.pattern))).toBeLessThanOrEqual(2048);
  });

  test('lists every cluster in exactly one rule of its kind', () => {
    const listed = split.flatMap((r) => r.clusterArns.map((c) => `${r.subnetIds.length > 0} ${c}`));
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.sort()).toEqual(
      single.flatMap((r) => r.clusterArns.map((c) => `${r.subnetIds.length > 0} ${c}`)).sort(),
    );
  });

  test('lets in every event the Lambda can notify, as the single rules did', () => {
    const missed = events.filter((e) => wanted(e) && !matchesAny(split, e));
    expect(events.filter(wanted).length).toBeGreaterThan(400);
    expect(missed).toEqual([]);
  });

  test('lets in nothing the single rules kept out', () => {
    const extra = events.filter((e) => matchesAny(split, e) && !matchesAny(single, e));
    expect(extra).toEqual([]);
  });

  test('matches a whole cluster exactly as the single rule without a subnet filter did', () => {
    const whole = (rules: TaskEventRule[]) => rules.filter((r) => r.subnetIds.length === 0);
    const differ = events.filter((e) => matchesAny(whole(split), e) !== matchesAny(whole(single), e));
    expect(differ).toEqual([]);
  });

  test('spreads one cluster with more subnets than a rule holds over several rules', () => {
    const many = Array.from({ length: 200 }, (_, i) => `subnet-0${hex(i)}`);
    const rules = taskEventRules({
      ...CONFIG,
      sources: [{ label: 'big', clusterArn: cluster(1), subnetIds: many }],
    });

    expect(rules.length).toBeGreaterThan(1);
    expect(rules.flatMap((r) => r.subnetIds)).toEqual(many);
    expect(rules.map((r) => r.clusterArns)).toEqual(rules.map(() => [cluster(1)]));
    for (const rule of rules)
      expect(eventPatternSize(renderedEventPattern(rule.pattern))).toBeLessThanOrEqual(2048);
  });
});
