import { describe, expect, test } from 'vitest';
import { taskEventRules } from '../../lib/event-pattern.js';

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

  test('lists several ignored group prefixes in one anything-but', () => {
    const [rule] = taskEventRules({
      notifyOn: ['STOPPED'],
      ignoreGroups: ['service:', 'family:warmup'],
      sources: [{ label: 'a', clusterArn: A }],
    });

    expect(rule?.pattern.detail).toMatchObject({
      group: [{ 'anything-but': { prefix: ['service:', 'family:warmup'] } }],
    });
  });

  test('leaves group unfiltered when nothing is ignored', () => {
    const [rule] = taskEventRules({ ...filters, sources: [{ label: 'a', clusterArn: A }] });

    expect(rule?.pattern.detail).not.toHaveProperty('group');
  });
});
