import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseNotifierConfig } from '../../lambda/domain/config/config.js';
import { writeComposeFixture } from '../../local/compose.js';
import { startLocalServices } from '../../local/services.js';
import { REPO_ROOT, synthNotifier, TWO_VPCS } from '../lib/synth.js';
import { interpolate } from '../support/compose-interpolate.js';
import { runCli } from './cli.js';

/** The Node.js major version the synthesized stack deploys the notifier on, e.g. `24`. */
function deployedNodeMajor(): string {
  const functions = synthNotifier(TWO_VPCS).template.findResources('AWS::Lambda::Function', {
    Properties: {
      Environment: { Variables: Match.objectLike({ IDEMPOTENCY_TABLE_NAME: Match.anyValue() }) },
    },
  });
  const runtimes = Object.values(functions).map((f) => String(f.Properties.Runtime));
  expect(runtimes).toHaveLength(1);
  const major = /^nodejs(\d+)\.x$/.exec(runtimes[0] ?? '')?.[1];
  if (!major) throw new Error(`expected a Node.js runtime, got ${runtimes[0]}`);
  return major;
}

const config = parseNotifierConfig({
  sources: [
    {
      label: 'etl (prod)',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod',
      vpcId: 'vpc-0aaa1111bbbb2222c',
    },
    { label: 'etl (test)', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/test' },
    { label: 'cost $report', clusterArn: 'arn:aws-cn:ecs:cn-north-1:111122223333:cluster/cn' },
  ],
});

type Service = {
  image: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  networks?: unknown;
  command?: string[];
};

describe('writeComposeFixture', () => {
  let dir: string;
  let files: string[];
  let compose: { services: Record<string, Service> };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'compose-'));
    files = await writeComposeFixture(config, path.join(dir, 'local'));
    compose = YAML.parse(await readFile(path.join(dir, 'local', 'compose.yaml'), 'utf8'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('places the metadata endpoint on port 80', () => {
    expect(compose.services.metadata?.command?.join(' ')).toContain('--port 80');
  });

  it('runs the notifier on the Lambda image of the Node.js version the stack deploys, emulator on 9000', () => {
    const notifier = compose.services.notifier;
    expect(notifier?.image).toBe(`public.ecr.aws/lambda/nodejs:${deployedNodeMajor()}`);
    expect(notifier?.ports?.map((p) => interpolate(p))).toEqual(['127.0.0.1:9000:8080']);
  });

  it('runs every other container on node of that same major version', () => {
    const major = deployedNodeMajor();
    const others = Object.entries(compose.services).filter(([name]) => name !== 'notifier');
    expect(new Set(others.map(([, s]) => s.image))).toEqual(new Set([`node:${major}-slim`]));
  });

  it('mounts this checkout read-only at /app, for every container but the one installing dependencies', () => {
    const mounts = Object.entries(compose.services)
      .filter(([name]) => name !== 'deps')
      .map(([, s]) => (s.volumes ?? []).find((v) => v.endsWith(':/app:ro')));
    expect(mounts).not.toContain(undefined);
    expect(new Set(mounts)).toEqual(new Set([`${REPO_ROOT}:/app:ro`]));
  });

  it('mounts the checkout by a relative path when the fixture sits inside it', async () => {
    const inside = path.join(REPO_ROOT, 'cdk.out', `compose-test-${process.pid}`);
    try {
      await writeComposeFixture(config, inside);
      const written = YAML.parse(await readFile(path.join(inside, 'compose.yaml'), 'utf8'));
      const mount = String(written.services.notifier.volumes[0]).split(':')[0] ?? '';

      expect(path.resolve(inside, mount)).toBe(REPO_ROOT);
    } finally {
      await rm(inside, { recursive: true, force: true });
    }
  });

  it('points the notifier at the local ECS API, Logs API and Slack sink, with the configuration', () => {
    const env = compose.services.notifier?.environment ?? {};
    expect(env.AWS_ENDPOINT_URL_ECS).toBe('http://ecs-api:8081');
    expect(env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS).toBe('http://logs-api:8083');
    expect(compose.services['logs-api']?.command?.join(' ')).toContain('--service logs-api');
    expect(env.SLACK_WEBHOOK_URL).toBe('http://slack-sink:8082/hook');
    const sources = JSON.parse((env.NOTIFIER_CONFIG ?? '').replaceAll('$$', '$')).sources as {
      label: string;
      clusterArn: string;
    }[];
    expect(sources.map((s) => [s.label, s.clusterArn])).toEqual([
      ['etl (prod)', 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod'],
      ['etl (test)', 'arn:aws:ecs:eu-west-1:111122223333:cluster/test'],
      ['cost $report', 'arn:aws-cn:ecs:cn-north-1:111122223333:cluster/cn'],
    ]);
  });

  it('runs one batch task per source, each with a metadata URI where the endpoint serves its task', async () => {
    const batchTasks = Object.entries(compose.services).filter(([name]) => name.startsWith('batch-task-'));
    const uris = batchTasks.map(([, s]) => interpolate(s.environment?.ECS_CONTAINER_METADATA_URI_V4 ?? ''));
    expect(uris).toHaveLength(3);
    for (const uri of uris) expect(uri).toMatch(/^http:\/\/169\.254\.170\.2\/v4\/[\w-]+$/);

    const services = await startLocalServices(config);
    try {
      const clusters = await Promise.all(
        uris.map(async (uri) => {
          const local = uri.replace('http://169.254.170.2', services.metadata.url);
          const task = (await (await fetch(`${local}/task`)).json()) as { Cluster: string };
          return task.Cluster;
        }),
      );
      expect(clusters).toEqual([
        'arn:aws:ecs:eu-west-1:111122223333:cluster/prod',
        'test',
        'arn:aws-cn:ecs:cn-north-1:111122223333:cluster/cn',
      ]);
    } finally {
      await services.close();
    }
  });

  it('has each batch task run whoami then notify', () => {
    expect(compose.services['batch-task-1']?.command?.at(-1)).toMatch(/whoami && .* notify --text/);
  });

  it('escapes $ in values so compose does not interpolate them', () => {
    expect(compose.services['batch-task-3']?.environment?.NOTIFY_TEXT).toBe(
      'Hello from a batch task of cost $$report',
    );
  });

  it('writes every file that a bind mount references', () => {
    const sources = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0] ?? '')
      .filter((source) => source.startsWith('.') || source.startsWith('/'));
    for (const source of sources) expect(existsSync(path.resolve(dir, 'local', source)), source).toBe(true);
  });

  it('returns the paths it wrote, the example event included', () => {
    expect(files.map((f) => path.basename(f)).sort()).toEqual([
      '.env',
      'compose.host-modules.yaml',
      'compose.yaml',
      'event.json',
      'notifier-config.json',
      'notifier-entry.mjs',
    ]);
  });

  it('writes a notifier entry whose handler notifies event.json with the compose environment', async () => {
    const services = await startLocalServices(config);
    try {
      const env = Object.fromEntries(
        Object.entries(compose.services.notifier?.environment ?? {}).map(([k, v]) => [
          k,
          v
            .replaceAll('$$', '$')
            .replace('http://ecs-api:8081', services.ecsApi.url)
            .replace('http://logs-api:8083', services.logsApi.url)
            .replace('http://slack-sink:8082', services.sink.url),
        ]),
      );
      const script = `const { handler } = await import(${JSON.stringify(path.join(dir, 'local', 'notifier-entry.mjs'))});
const event = JSON.parse(await (await import('node:fs/promises')).readFile(${JSON.stringify(path.join(dir, 'local', 'event.json'))}, 'utf8'));
console.log(JSON.stringify(await handler(event)));`;

      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['--input-type=module', '-e', script],
          { env: { ...process.env, ...env, PROJECT_DIR: REPO_ROOT } },
          (error, out, err) => (error ? reject(new Error(err)) : resolve(out)),
        ),
      );

      const event = JSON.parse(await readFile(path.join(dir, 'local', 'event.json'), 'utf8'));
      const taskDefinition = String(event.detail.taskDefinitionArn).split('/').at(-1) ?? '';

      expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual({ status: 'notified' });
      expect(services.sink.messages()).toHaveLength(1);
      expect(JSON.stringify(services.sink.messages()[0]?.payload)).toContain(taskDefinition);
    } finally {
      await services.close();
    }
  });
});

describe('local --compose', () => {
  it('writes the fixture from the command line, mounting this checkout (not a build folder)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'compose-cli-'));
    try {
      const result = await runCli(['local', '--compose', dir]);
      const written = YAML.parse(await readFile(path.join(dir, 'compose.yaml'), 'utf8'));

      expect(result.code).toBe(0);
      expect(result.stdout).toContain(path.join(dir, 'compose.yaml'));
      expect(written.services.notifier.volumes).toContain(`${REPO_ROOT}:/app:ro`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
