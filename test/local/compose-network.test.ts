// compose.yaml's network, ports, start order and overrides, read as Compose would read them; the
// engine test (compose-engine.test.ts) runs the same file under Docker.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseNotifierConfig } from '../../lambda/domain/config/config.js';
import { DEFAULT_PROJECT_NAME, writeComposeFixture } from '../../local/compose.js';
import { REPO_ROOT } from '../support/cli.js';
import { interpolate } from '../support/compose-interpolate.js';

const config = parseNotifierConfig({
  sources: [
    { label: 'etl (prod)', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod' },
    { label: 'etl (test)', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/test' },
  ],
});

type Service = {
  command?: string[];
  volumes?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  networks?: Record<string, { ipv4_address?: string }> | string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
};
type Compose = {
  name?: string;
  networks: Record<string, { ipam: { config: Record<string, string>[] } }>;
  services: Record<string, Service>;
};

/** `a.b.c.d` as a number, for range checks. */
function ipv4(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}
function inCidr(address: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return ipv4(address) >= ipv4(base) && ipv4(address) < ipv4(base) + size;
}

describe('compose.yaml under Compose', () => {
  let dir: string;
  let compose: Compose;
  let override: { services: Record<string, Service> };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'compose-network-'));
    await writeComposeFixture(config, dir);
    compose = YAML.parse(await readFile(path.join(dir, 'compose.yaml'), 'utf8'));
    override = YAML.parse(await readFile(path.join(dir, 'compose.host-modules.yaml'), 'utf8'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const pool = (env: Record<string, string> = {}) => {
    const [ipam = {}] = compose.networks['ecs-local']?.ipam.config ?? [];
    return Object.fromEntries(Object.entries(ipam).map(([k, v]) => [k, interpolate(v, env)]));
  };
  const metadataAddress = (env: Record<string, string> = {}) => {
    const networks = compose.services.metadata?.networks as Record<string, { ipv4_address: string }>;
    return interpolate(networks['ecs-local']?.ipv4_address ?? '', env);
  };

  it('puts the metadata endpoint at 169.254.170.2 on 169.254.170.0/24 by default, as ECS does', () => {
    expect(pool().subnet).toBe('169.254.170.0/24');
    expect(metadataAddress()).toBe('169.254.170.2');
  });

  it('never hands the metadata address to another container: Docker assigns from .128 up', () => {
    const { subnet = '', ip_range: range = '', gateway = '' } = pool();
    expect(inCidr(metadataAddress(), subnet)).toBe(true);
    expect(inCidr(metadataAddress(), range)).toBe(false);
    expect(inCidr(range.split('/')[0] ?? '', subnet)).toBe(true);
    expect(gateway).not.toBe(metadataAddress());
  });

  it('moves the subnet, the endpoint and every task URI to the /24 that ECS_LOCAL_NET names', () => {
    const env = { ECS_LOCAL_NET: '169.254.201' };
    expect(pool(env)).toEqual({
      subnet: '169.254.201.0/24',
      ip_range: '169.254.201.128/25',
      gateway: '169.254.201.1',
    });
    expect(metadataAddress(env)).toBe('169.254.201.2');
    const uris = Object.entries(compose.services)
      .filter(([name]) => name.startsWith('batch-task-'))
      .map(([, s]) => interpolate(s.environment?.ECS_CONTAINER_METADATA_URI_V4 ?? '', env));
    expect(uris).toHaveLength(2);
    for (const uri of uris) expect(uri).toMatch(/^http:\/\/169\.254\.201\.2\/v4\//);
  });

  it('publishes the sink and the invoke endpoint on 127.0.0.1, on ports a second copy can change', () => {
    const ports = (env: Record<string, string> = {}) =>
      ['slack-sink', 'notifier'].map((name) =>
        compose.services[name]?.ports?.map((p) => interpolate(p, env)),
      );
    expect(ports()).toEqual([['127.0.0.1:8082:8082'], ['127.0.0.1:9000:8080']]);
    expect(ports({ ECS_LOCAL_SINK_PORT: '0', ECS_LOCAL_LAMBDA_PORT: '0' })).toEqual([
      ['127.0.0.1:0:8082'],
      ['127.0.0.1:0:8080'],
    ]);
  });

  it('has no top-level name (docker-compose 1.29 rejects it); .env names the project instead', async () => {
    expect(compose.name).toBeUndefined();
    const env = await readFile(path.join(dir, '.env'), 'utf8');
    expect(env).toMatch(new RegExp(`^COMPOSE_PROJECT_NAME=${DEFAULT_PROJECT_NAME}$`, 'm'));
  });

  it('starts each batch task only once the metadata endpoint and the sink answer', () => {
    const tasks = Object.entries(compose.services).filter(([name]) => name.startsWith('batch-task-'));
    for (const [, task] of tasks) {
      expect(task.depends_on).toMatchObject({
        metadata: { condition: 'service_healthy' },
        'slack-sink': { condition: 'service_healthy' },
      });
    }
  });

  it('starts the notifier only once the ECS API, the Logs API and the sink answer', () => {
    expect(compose.services.notifier?.depends_on).toMatchObject({
      'ecs-api': { condition: 'service_healthy' },
      'logs-api': { condition: 'service_healthy' },
      'slack-sink': { condition: 'service_healthy' },
    });
  });

  it('checks each server with a probe that passes when it answers HTTP and fails when nothing listens', async () => {
    const probe = (name: string, port: number) =>
      interpolate(compose.services[name]?.healthcheck?.test.at(-1) ?? '').replace(
        /127\.0\.0\.1\/\d+/,
        `127.0.0.1/${port}`,
      );
    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const name of ['metadata', 'ecs-api', 'slack-sink', 'logs-api', 'notifier']) {
        expect(compose.services[name]?.healthcheck?.test.slice(0, 3)).toEqual(['CMD', 'bash', '-c']);
        expect(await exitCode('bash', ['-c', probe(name, port)]), name).toBe(0);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await exitCode('bash', ['-c', probe('metadata', port)])).not.toBe(0);
  });

  it('tells a failed npm ci in the container about the override that uses the host modules', () => {
    expect(compose.services.deps?.command?.at(-1)).toContain('-f compose.host-modules.yaml');
  });

  it("mounts the checkout's node_modules instead of the volume in each container, with the override", () => {
    const withVolume = Object.entries(compose.services)
      .filter(([, s]) => s.volumes?.includes('node_modules:/app/node_modules'))
      .map(([name]) => name);
    expect(withVolume).toContain('notifier');
    for (const name of withVolume) {
      expect(override.services[name]?.volumes, name).toContain(
        `${REPO_ROOT}/node_modules:/app/node_modules:ro`,
      );
    }
    expect(override.services.deps?.volumes).toContain(`${REPO_ROOT}:/app:ro`);
    expect(override.services.deps?.command?.at(-1)).toMatch(/^test -d \/app\/node_modules\/tsx /);
  });
});

function exitCode(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) =>
    execFile(command, args, { timeout: 30_000 }, (error) =>
      resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0),
    ),
  );
}
