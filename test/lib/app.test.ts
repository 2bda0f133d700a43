import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { offlineEnv, type RunResult, runBin } from './run.js';
import { TWO_VPCS } from './synth.js';

const STACK_TRACE = /^\s+at /m;

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ecs-task-notifier-app-'));
}

/** Runs `bin/app.ts` as the CDK CLI would, with these context values. */
function runApp(context: Record<string, unknown>, extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return runBin(
    'tsx',
    ['bin/app.ts'],
    offlineEnv({ CDK_CONTEXT_JSON: JSON.stringify(context), ...extraEnv }),
  );
}

function stderrLines(result: RunResult): string[] {
  return result.stderr.split('\n').filter((line) => line.trim() !== '');
}

// Each case is its own process; they run side by side.
describe.concurrent('bin/app.ts with a bad configuration', () => {
  test('prints one line naming the bad key and exits non-zero, without a stack trace', async () => {
    const sources = [TWO_VPCS.sources[0], { label: 'b', clusterArn: 'batch-b' }];
    const result = await runApp({ ecsTaskNotifier: { ...TWO_VPCS, sources } });

    expect(result.code).toBe(1);
    expect(stderrLines(result)).toEqual([
      'ecsTaskNotifier.sources[1].clusterArn: expected an ECS cluster ARN, got "batch-b"',
    ]);
  });

  test('names the missing secret', async () => {
    const { slackWebhookSecretArn: _, ...withoutSecret } = TWO_VPCS;
    const result = await runApp({ ecsTaskNotifier: JSON.stringify(withoutSecret) });

    expect(result.code).toBe(1);
    expect(stderrLines(result)).toHaveLength(1);
    expect(result.stderr).toMatch(/^ecsTaskNotifier\.slackWebhookSecretArn: is required/);
  });

  test('names a configuration file that does not exist', async () => {
    const result = await runApp({ ecsTaskNotifierFile: 'missing/notifier.json' });

    expect(result.code).toBe(1);
    expect(stderrLines(result)).toEqual([
      'ecsTaskNotifierFile: cannot read "missing/notifier.json" (ENOENT)',
    ]);
  });

  test('names the key of a bad value inside a configuration file', async () => {
    const file = path.join(tempDir(), 'notifier.json');
    writeFileSync(file, JSON.stringify({ ...TWO_VPCS, notifyOn: ['GONE'] }));
    const result = await runApp({ ecsTaskNotifierFile: file });

    expect(result.code).toBe(1);
    expect(stderrLines(result)).toHaveLength(1);
    expect(result.stderr).toMatch(/^ecsTaskNotifier\.notifyOn\[0\]: expected one of .*, got "GONE"$/m);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });
});

describe.concurrent('bin/app.ts with a layout over an AWS quota', () => {
  test('names organizationId when the bus policy would name more accounts than it holds', async () => {
    const sources = Array.from({ length: 320 }, (_, i) => ({
      label: `partner-${i}`,
      clusterArn: `arn:aws:ecs:us-east-1:${300_000_000_000 + i}:cluster/batch`,
    }));
    const config = { ...TWO_VPCS, sources, account: '123456789012', region: 'us-east-1' };
    const result = await runApp({ ecsTaskNotifier: config, 'aws:cdk:bundling-stacks': [] });

    expect(result.code).toBe(1);
    expect(stderrLines(result).at(-1)).toMatch(
      /^ecsTaskNotifier\.organizationId: is needed: the notifier's default-bus policy naming 320 accounts is [\d,]+ characters, over EventBridge's event bus policy size of 10,240; set "organizationId": "o-…"/,
    );
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  test('names logGroups when its grants need more managed policies than a role takes, measured on the synthesized template', async () => {
    const regions = [
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'eu-central-1',
      'eu-north-1',
      'ap-south-1',
      'ap-northeast-1',
      'sa-east-1',
    ];
    const sources = regions.map((region) => ({
      label: region,
      clusterArn: `arn:aws:ecs:${region}:123456789012:cluster/batch`,
    }));
    const logGroups = Array.from(
      { length: 50 },
      (_, i) => `/aws/ecs/containerinsights/nightly-batch-processing-${i}/performance`,
    );
    const config = { ...TWO_VPCS, sources, logGroups, account: '123456789012', region: 'us-east-1' };
    const result = await runApp(
      { ecsTaskNotifier: config, 'aws:cdk:bundling-stacks': [] },
      { CDK_OUTDIR: tempDir(), CDK_VALIDATION: 'false' },
    );

    expect(result.code).toBe(1);
    expect(stderrLines(result).at(-1)).toMatch(
      /^ecsTaskNotifier\.logGroups: over IAM's quota on managed policies attached to a role \(10 policies\): NotifierFunctionRole\w+ in stack EcsTaskNotifier has 1\d; ask AWS to raise the quota/,
    );
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('bin/app.ts with a configuration file', () => {
  test('synthesizes the stack for the file clusters, with one stderr line each on log tails and on alarm e-mail', async () => {
    const file = path.join(tempDir(), 'notifier.json');
    writeFileSync(file, JSON.stringify({ ...TWO_VPCS, sources: [TWO_VPCS.sources[1]] }));
    const outdir = tempDir();
    const result = await runApp(
      { ecsTaskNotifierFile: file, 'aws:cdk:bundling-stacks': [] },
      { CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' },
    );

    // TWO_VPCS lists no logGroups and no alarmEmail.
    expect(stderrLines(result)).toEqual([
      'ecsTaskNotifier.logGroups is empty: messages link each container\'s log stream but show no log lines; to show a failed container\'s last lines, list the groups the function may read, e.g. "logGroups": ["/ecs/batch-*"]',
      'ecsTaskNotifier.alarmEmail is not set: the alarms publish to a new SNS topic nobody is subscribed to (stack output AlarmTopicArn); set "alarmEmail": "ops@example.com", or subscribe to the topic',
    ]);
    expect(result.code).toBe(0);
    const template = readFileSync(path.join(outdir, 'EcsTaskNotifier.template.json'), 'utf8');
    expect(template).toContain('cluster/batch-b');
    expect(template).not.toContain('cluster/batch-a');
  });
});

// A whole `cdk synth` in a child process: 45–55 s alone on a busy two-core machine, more beside
// other heavy tests (the compose engine test), so the default 60 s is too tight.
describe('npx cdk synth', { timeout: 180_000 }, () => {
  test('synthesizes the committed cdk.json example offline, without AWS credentials', async () => {
    const outdir = tempDir();
    const result = await runBin('cdk', ['synth', '-q', '--no-notices', '-o', outdir], offlineEnv());
    const synthesized = existsSync(path.join(outdir, 'EcsTaskNotifier.template.json'));
    rmSync(outdir, { recursive: true, force: true });

    expect(result.stderr).not.toMatch(/ERROR|Error:/);
    expect(result.code).toBe(0);
    expect(synthesized).toBe(true);
  });

  test('fails on a bad -c ecsTaskNotifier value, first naming the key, without a stack trace', async () => {
    const bad = JSON.stringify({ ...TWO_VPCS, maxConcurrency: 1 });
    const result = await runBin(
      'cdk',
      ['synth', '-q', '--no-notices', '-o', tempDir(), '-c', `ecsTaskNotifier=${bad}`],
      offlineEnv(),
    );

    expect(result.code).not.toBe(0);
    expect(stderrLines(result)[0]).toMatch(/^ecsTaskNotifier\.maxConcurrency: /);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });
});
