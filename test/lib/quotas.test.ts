import type { CfnManagedPolicy } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, test } from 'vitest';
import { measureQuotas, type QuotaUse, quotaError } from '../../lib/quota-check.js';
import { iamPolicySize, QUOTAS, type QuotaName } from '../../lib/quotas.js';
import { bigLayout } from './big-layout.js';
import { type Synthesized, synthNotifier } from './synth.js';

/** The uses over their limit, as `quota what stack: used/limit`: empty when everything fits. */
function overLimit(uses: readonly QuotaUse[]): string[] {
  return uses
    .filter((u) => u.used > QUOTAS[u.quota].limit)
    .map((u) => `${u.quota} ${u.what} ${u.stack}: ${u.used}/${QUOTAS[u.quota].limit}`);
}

describe('200 sources × 2 subnets, every kind of event, 50 routes, 40 accounts, 3 regions (80 clusters in the notifier account)', () => {
  let synth: Synthesized;
  let uses: QuotaUse[];
  beforeAll(() => {
    synth = synthNotifier(bigLayout({ homeClusters: 80, everyKind: true }));
    uses = measureQuotas(synth.app.synth());
  });

  test('adds a forwarder for each of the 119 other account-region pairs', () => {
    expect(synth.forwarders).toHaveLength(119);
  });

  test('measures every quota the notifier can reach', () => {
    expect(new Set(uses.map((u) => u.quota))).toEqual(new Set(Object.keys(QUOTAS) as QuotaName[]));
  });

  test('fits every quota in every stack', () => {
    expect(overLimit(uses)).toEqual([]);
    expect(quotaError(uses)).toBeUndefined();
  });

  test('splits the notifier clusters over several rules, each pattern within 2,048 characters', () => {
    const patterns = uses.filter((u) => u.quota === 'eventPatternSize' && u.stack === 'EcsTaskNotifier');

    expect(patterns.length).toBeGreaterThan(2);
    expect(Math.max(...patterns.map((u) => u.used))).toBeLessThanOrEqual(2048);
  });

  test('names the 39 other accounts in one bus policy statement within 10,240 characters', () => {
    const [busPolicy] = uses.filter((u) => u.quota === 'eventBusPolicySize');

    expect(busPolicy?.used).toBeGreaterThan(39 * 30);
    expect(busPolicy?.used).toBeLessThanOrEqual(10_240);
  });

  test('moves what does not fit the role inline policy to managed policies of at most 6,144 characters', () => {
    const managed = uses.filter((u) => u.quota === 'managedPolicySize');
    const inline = uses.find((u) => u.quota === 'roleInlinePolicySize' && u.stack === 'EcsTaskNotifier');

    expect(managed.length).toBeGreaterThan(0);
    expect(Math.max(...managed.map((u) => u.used))).toBeLessThanOrEqual(6_144);
    expect(inline?.used).toBeLessThanOrEqual(10_240);
  });
});

describe('200 clusters in the notifier account, in 3 regions', () => {
  test('grants DescribeTasks on every one of them across managed policies, each within its quota', () => {
    const synth = synthNotifier(bigLayout({ homeClusters: 200 }));
    const policies = synth.notifier.node
      .findAll()
      .filter((c) => c.node.id.startsWith('DescribeConfiguredTasksPolicy'))
      .map((c) => synth.notifier.resolve((c.node.defaultChild as CfnManagedPolicy).policyDocument));
    const granted = policies.flatMap((doc) =>
      doc.Statement.flatMap((s: { Resource: string[] }) => s.Resource),
    );

    expect(policies.length).toBeGreaterThan(1);
    expect(new Set(granted).size).toBe(200);
    for (const doc of policies) expect(iamPolicySize(doc)).toBeLessThanOrEqual(6_144);
    expect(quotaError(measureQuotas(synth.app.synth()))).toBeUndefined();
  });
});

describe('quotaError', () => {
  const use = (quota: QuotaName, used: number, key = 'sources'): QuotaUse => ({
    quota,
    stack: 'EcsTaskNotifier',
    what: 'NotifierTaskEvents3',
    used,
    key,
  });

  test('names the key, the quota, what is over and by how much, in one line', () => {
    const error = quotaError([use('rulesPerEventBus', 12), use('eventPatternSize', 2_100)]);

    expect(error?.message).toBe(
      "ecsTaskNotifier.sources: over EventBridge's quota on event pattern size (2,048 characters): NotifierTaskEvents3 in stack EcsTaskNotifier has 2,100",
    );
  });

  test('advises organizationId for a bus policy over its quota', () => {
    expect(quotaError([use('eventBusPolicySize', 11_960, 'organizationId')])?.message).toMatch(
      /^ecsTaskNotifier\.organizationId: over EventBridge's quota on event bus policy size \(10,240 characters\): .* has 11,960; set "organizationId": "o-…"/,
    );
  });

  test('is undefined when every use is at or under its limit', () => {
    expect(quotaError([use('eventPatternSize', 2_048), use('resourcesPerTemplate', 500)])).toBeUndefined();
  });
});
