import { describe, expect, test } from 'vitest';
import { parseNotifierConfig } from '../../lambda/domain/config/config.js';
import { alarmHint, parseDeployConfig } from '../../lib/deploy-config.js';
import { runtimeConfigOf } from '../../lib/deploy-schema.js';
import { problemOf, TWO_VPCS } from './synth.js';

const PARTNER = 'arn:aws:ecs:us-east-1:210987654321:cluster/partner';
const EU = 'arn:aws:ecs:eu-west-1:123456789012:cluster/batch-eu';

describe('a cluster whose events need a forwarder', () => {
  test('in another account, without account and region, fails naming account', () => {
    const sources = [...TWO_VPCS.sources, { label: 'partner', clusterArn: PARTNER }];

    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, sources }))).toBe(
      "ecsTaskNotifier.account: and region are required when the clusters are in more than one account or region: sources[2].clusterArn is in 210987654321 us-east-1, sources[0] in 123456789012 us-east-1; set them to where the notifier runs, and synth adds a forwarder stack for every other account and region (without one, those clusters' events never arrive)",
    );
  });

  test('in another region of the same account, without account and region, fails too', () => {
    const sources = [{ label: 'eu', clusterArn: EU }, ...TWO_VPCS.sources];

    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, sources }))).toMatch(
      /^ecsTaskNotifier\.account: and region are required .*: sources\[1\]\.clusterArn is in 123456789012 us-east-1, sources\[0\] in 123456789012 eu-west-1;/,
    );
  });

  test('is accepted with account and region, which add its forwarder', () => {
    const sources = [
      ...TWO_VPCS.sources,
      { label: 'partner', clusterArn: PARTNER },
      { label: 'eu', clusterArn: EU },
    ];
    const config = parseDeployConfig({ ...TWO_VPCS, sources, account: '123456789012', region: 'us-east-1' });

    expect(config.sources).toHaveLength(4);
  });

  test('is not needed when every cluster shares one account and region', () => {
    expect(parseDeployConfig(TWO_VPCS).account).toBeUndefined();
  });
});

describe('the deploy-only keys', () => {
  test('take an e-mail address for the alarms', () => {
    expect(parseDeployConfig({ ...TWO_VPCS, alarmEmail: 'ops@example.com' }).alarmEmail).toBe(
      'ops@example.com',
    );
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, alarmEmail: 'ops' }))).toBe(
      'ecsTaskNotifier.alarmEmail: expected an e-mail address like "ops@example.com", got "ops"',
    );
  });

  test('take an AWS Organizations ID', () => {
    expect(parseDeployConfig({ ...TWO_VPCS, organizationId: 'o-a1b2c3d4e5' }).organizationId).toBe(
      'o-a1b2c3d4e5',
    );
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, organizationId: 'r-a1b2' }))).toBe(
      'ecsTaskNotifier.organizationId: expected an AWS Organizations ID like "o-a1b2c3d4e5", got "r-a1b2"',
    );
  });

  test('are left out of what the Lambda reads, which its own schema then accepts', () => {
    const config = parseDeployConfig({
      ...TWO_VPCS,
      alarmEmail: 'ops@example.com',
      organizationId: 'o-a1b2c3d4e5',
    });
    const runtime = runtimeConfigOf(config);

    expect(runtime).not.toHaveProperty('alarmEmail');
    expect(runtime).not.toHaveProperty('organizationId');
    expect(parseNotifierConfig(JSON.parse(JSON.stringify(runtime)))).toEqual(runtime);
  });
});

describe('alarmHint', () => {
  test('says in one line that nobody would hear the alarms, and how to fix it', () => {
    const hint = alarmHint(parseDeployConfig(TWO_VPCS));

    expect(hint).toMatch(/^ecsTaskNotifier\.alarmEmail is not set: .*subscribe to the topic$/);
    expect(hint).not.toContain('\n');
  });

  test('says nothing once an e-mail or a topic of your own is configured', () => {
    expect(alarmHint(parseDeployConfig({ ...TWO_VPCS, alarmEmail: 'ops@example.com' }))).toBeUndefined();
    const alarmTopicArn = 'arn:aws:sns:us-east-1:123456789012:ops-alarms';
    expect(alarmHint(parseDeployConfig({ ...TWO_VPCS, alarmTopicArn }))).toBeUndefined();
  });
});
