import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseNotifierConfig } from '../../lambda/domain/config.js';
import { writeComposeFixture } from '../../local/compose.js';
import { startLocalServices } from '../../local/services.js';
import { generateLocalTasks } from '../../local/tasks.js';
import { runCli } from './cli.js';

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
  let compose: {
    networks: Record<string, { ipam: { config: { subnet: string }[] } }>;
    services: Record<string, Service>;
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'compose-'));
    files = await writeComposeFixture(config, path.join(dir, 'local'));
    compose = YAML.parse(await readFile(path.join(dir, 'local', 'compose.yaml'), 'utf8'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('puts the network on 169.254.170.0/24', () => {
    expect(compose.networks['ecs-local']?.ipam.config[0]?.subnet).toBe('169.254.170.0/24');
  });

  it('places the metadata endpoint at 169.254.170.2 on port 80', () => {
    const metadata = compose.services.metadata;
    expect(metadata?.networks).toEqual({ 'ecs-local': { ipv4_address: '169.254.170.2' } });
    expect(metadata?.command?.join(' ')).toContain('--port 80');
  });

  it('runs the notifier on the Lambda Node.js image with the emulator published as 9000:8080', () => {
    const notifier = compose.services.notifier;
    expect(notifier?.image).toBe('public.ecr.aws/lambda/nodejs:22');
    expect(notifier?.ports).toEqual(['127.0.0.1:9000:8080']);
  });

  it('points the notifier at the local ECS API and Slack sink, with the configuration', () => {
    const env = compose.services.notifier?.environment ?? {};
    expect(env.AWS_ENDPOINT_URL_ECS).toBe('http://ecs-api:8081');
    expect(env.SLACK_WEBHOOK_URL).toBe('http://slack-sink:8082/hook');
    expect(JSON.parse((env.NOTIFIER_CONFIG ?? '').replaceAll('$$', '$')).sources).toEqual(config.sources);
  });

  it('runs one batch task per source, each with its own metadata URI', () => {
    const uris = Object.entries(compose.services)
      .filter(([name]) => name.startsWith('batch-task-'))
      .map(([, s]) => s.environment?.ECS_CONTAINER_METADATA_URI_V4);
    expect(uris).toEqual(generateLocalTasks(config).map((t) => `http://169.254.170.2/v4/${t.id}`));
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
          { env: { ...process.env, ...env, PROJECT_DIR: path.resolve(import.meta.dirname, '../..') } },
          (error, out, err) => (error ? reject(new Error(err)) : resolve(out)),
        ),
      );

      expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual({ status: 'notified' });
      expect(services.sink.messages()).toHaveLength(1);
      expect(JSON.stringify(services.sink.messages()[0]?.payload)).toContain('Confirmed by DescribeTasks');
    } finally {
      await services.close();
    }
  });
});

describe('local --compose', () => {
  it('writes the fixture from the command line and lists the files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'compose-cli-'));
    try {
      const result = await runCli(['local', '--compose', dir]);

      expect(result.code).toBe(0);
      expect(result.stdout).toContain(path.join(dir, 'compose.yaml'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
