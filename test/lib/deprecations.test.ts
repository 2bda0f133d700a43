import { afterEach, describe, expect, test, vi } from 'vitest';
import { nagPacks } from '../../lib/nag.js';
import { synthNotifier, TWO_VPCS } from './synth.js';

const PARTNER = 'arn:aws:ecs:eu-west-1:210987654321:cluster/p';

// Its own file: jsii prints each deprecation once per process, so an earlier synth would hide it.
describe('synthesizing a notifier with a forwarder stack and a bus policy', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test('prints no deprecation warning, cdk-nag included', () => {
    const warn = vi.spyOn(console, 'warn');

    const { app } = synthNotifier({
      ...TWO_VPCS,
      account: '123456789012',
      region: 'us-east-1',
      sources: [...TWO_VPCS.sources, { label: 'partner', clusterArn: PARTNER }],
    });
    for (const pack of nagPacks(app)) pack.validateScope(app);

    const warnings = warn.mock.calls.map((args) => args.join(' '));
    expect(warnings.filter((line) => line.includes('deprecated'))).toEqual([]);
  });
});
