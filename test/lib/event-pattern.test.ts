import { describe, expect, test } from 'vitest';
import { filterTask } from '../../lambda/domain/report/filters.js';
import { taskEventRules } from '../../lib/event-pattern.js';
import { taskFrom } from '../support/reports.js';

const A = 'arn:aws:ecs:us-east-1:123456789012:cluster/batch-a';
const B = 'arn:aws:ecs:us-east-1:123456789012:cluster/batch-b';
const filters = { notifyOn: ['STOPPED' as const], ignoreGroups: [] };

describe('taskEventRules', () => {
  test('puts clusters whose every source lists subnets in one subnet-filtered rule', () => {
    const rules = taskEventRules({
      ...filters,
      sources: [
        { label: 'a', clusterArn: A, subnetIds: ['subnet-0a1'] },
        { label: 'b', clusterArn: B, subnetIds: ['subnet-0b1'] },
      ],
    });

    expect(rules).toHaveLength(1);
    expect(rules[0]?.pattern.detail).toMatchObject({
      clusterArn: [A, B],
      attachments: { details: { value: ['subnet-0a1', 'subnet-0b1'] } },
    });
  });

  test('gives a cluster with a source lacking subnets a rule without a subnet filter', () => {
    const rules = taskEventRules({
      ...filters,
      sources: [
        { label: 'a', clusterArn: A, subnetIds: ['subnet-0a1'] },
        { label: 'b', clusterArn: B },
      ],
    });

    expect(rules.map((r) => [r.id, r.clusterArns])).toEqual([
      ['TaskEvents', [B]],
      ['TaskEventsBySubnet', [A]],
    ]);
    expect(rules[0]?.pattern.detail).not.toHaveProperty('attachments');
  });

  test('never filters a cluster by subnet when one of its sources wants every task', () => {
    const rules = taskEventRules({
      ...filters,
      sources: [
        { label: 'a-vpc1', clusterArn: A, subnetIds: ['subnet-0a1'] },
        { label: 'a-rest', clusterArn: A },
      ],
    });

    expect(rules.map((r) => r.id)).toEqual(['TaskEvents']);
  });

  test('leaves out tasks whose group starts with the one ignored prefix, and lets tasks without a group in', () => {
    const [rule] = taskEventRules({
      ...filters,
      ignoreGroups: ['service:'],
      sources: [{ label: 'a', clusterArn: A }],
    });

    expect(rule?.pattern.detail).toEqual({
      clusterArn: [A],
      lastStatus: ['STOPPED'],
      $or: [{ group: [{ exists: false }] }, { group: [{ 'anything-but': { prefix: 'service:' } }] }],
    });
  });

  test('leaves two or more ignored prefixes to the Lambda: on event buses anything-but takes one prefix', () => {
    const [rule] = taskEventRules({
      ...filters,
      ignoreGroups: ['service:', 'family:warmup'],
      sources: [{ label: 'a', clusterArn: A }],
    });

    expect(rule?.pattern.detail).toEqual({ clusterArn: [A], lastStatus: ['STOPPED'] });
  });

  test('leaves group unfiltered when nothing is ignored', () => {
    const [rule] = taskEventRules({ ...filters, sources: [{ label: 'a', clusterArn: A }] });

    expect(rule?.pattern.detail).not.toHaveProperty('group');
  });
});

/**
 * What EventBridge's documentation says the group conditions of our rules mean: `$or` matches when
 * one branch does, `exists: false` only a missing field, `anything-but` `prefix` (one string) only a
 * present value without that prefix. Any other form is not one we may use on an event bus.
 */
function ruleLetsGroupIn(detail: Record<string, unknown>, group: string | undefined): boolean {
  const branches = (detail.$or ?? (detail.group ? [{ group: detail.group }] : [])) as { group?: unknown[] }[];
  if (branches.length === 0) return true;
  return branches.some((branch) => (branch.group ?? []).some((condition) => matches(condition, group)));
}

function matches(condition: unknown, value: string | undefined): boolean {
  const text = JSON.stringify(condition);
  if (text === '{"exists":false}') return value === undefined;
  const prefix = (condition as { 'anything-but'?: { prefix?: unknown } })['anything-but']?.prefix;
  if (typeof prefix === 'string' && text === JSON.stringify({ 'anything-but': { prefix } })) {
    return value !== undefined && !value.startsWith(prefix);
  }
  throw new Error(`not a documented event-bus condition: ${text}`);
}

describe('the rule and the Lambda agree on groups', () => {
  const groups = [undefined, '', 'service:web', 'family:warmup-7', 'family:import', 'my-service:web'];
  const configs = [
    { ignoreGroups: [] },
    { ignoreGroups: ['service:'] },
    { ignoreGroups: ['service:', 'family:warmup'] },
  ];

  test.each(configs)(
    'the rule lets in every task the Lambda notifies (ignoreGroups $ignoreGroups)',
    ({ ignoreGroups }) => {
      const config = { ...filters, ignoreGroups, sources: [{ label: 'a', clusterArn: A }] };
      const [rule] = taskEventRules(config);
      const detail = rule?.pattern.detail ?? {};

      for (const group of groups) {
        const notified = filterTask(taskFrom('ec2-stopped-failed', { group }), config) === undefined;
        if (notified) expect(ruleLetsGroupIn(detail, group), `group ${group}`).toBe(true);
      }
    },
  );

  test('with one ignored prefix the rule keeps out exactly the tasks the Lambda skips for their group', () => {
    const config = { ...filters, ignoreGroups: ['service:'], sources: [{ label: 'a', clusterArn: A }] };
    const detail = taskEventRules(config)[0]?.pattern.detail ?? {};

    expect(groups.map((group) => ruleLetsGroupIn(detail, group))).toEqual(
      groups.map((group) => filterTask(taskFrom('ec2-stopped-failed', { group }), config) === undefined),
    );
    expect(groups.filter((group) => !ruleLetsGroupIn(detail, group))).toEqual(['service:web']);
  });
});
