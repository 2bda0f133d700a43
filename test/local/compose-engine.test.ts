// The compose fixture under a real Docker engine: runs only when `docker info` answers. Two copies
// run at once on the host (one per Compose client when both v2 and v1 are installed), each with its
// own project name, /24 and free host ports. The images are the real ones when present, else the
// stand-ins of scripts/stand-in-images.ts (built here when missing).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../lambda/domain/config/config.js';
import { writeComposeFixture } from '../../local/compose.js';
import { COMPOSE_VARIABLES } from '../../local/compose-document.js';
import { generateLocalTasks } from '../../local/tasks.js';
import { ensureStandInImages } from '../../scripts/stand-in-images.js';
import {
  type ComposeClient,
  composeClients,
  dockerEngineMissing,
  dockerSubnets,
  projectResources,
  removeProjectResources,
  run,
  runOk,
} from '../support/docker.js';

const config = parseNotifierConfig({
  sources: [
    {
      label: 'etl (prod)',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod',
      vpcId: 'vpc-0aaa1111bbbb2222c',
    },
    { label: 'cost $report', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/cost' },
  ],
});
const tasks = generateLocalTasks(config);
// Generous: a busy two-core machine starts sixteen containers here.
const DEADLINE_MS = 180_000;
const TEST_TIMEOUT_MS = 240_000;

const missing = await dockerEngineMissing();
const clients = missing ? [] : await composeClients();
const skipReason =
  missing ?? (clients.length === 0 ? 'no Compose client (docker compose, docker-compose)' : undefined);

interface Copy {
  client: ComposeClient;
  project: string;
  dir: string;
  net: string;
}

describe('the compose fixture under a Docker engine', { timeout: TEST_TIMEOUT_MS }, () => {
  if (skipReason) {
    // On stderr, so a run without an engine says why these checks did not run.
    console.warn(`compose engine test skipped: ${skipReason}`);
    it('starts, runs each task against the metadata endpoint and the sink, and stops', (ctx) => {
      ctx.skip(skipReason);
    });
    return;
  }
  const runId = randomBytes(3).toString('hex');
  const copies: Copy[] = [clients[0], clients[1] ?? clients[0]].map((client, i) => ({
    client: client as ComposeClient,
    project: `ecs-notifier-test-${runId}-${i + 1}`,
    dir: '',
    net: '',
  }));

  beforeAll(async () => {
    for (const { image, state } of await ensureStandInImages({ log: (line) => console.info(line) }))
      console.info(`${image}: ${state}`);
    const taken = await dockerSubnets();
    for (const copy of copies) {
      copy.dir = await mkdtemp(path.join(tmpdir(), `${copy.project}-`));
      await writeComposeFixture(config, copy.dir);
      copy.net = freeNet(taken);
      taken.add(copy.net);
    }
    // Settled, not raced: afterAll must not take a copy down while its `up` still runs.
    const started = await Promise.allSettled(copies.map((copy) => up(copy, taken)));
    for (const copy of copies) {
      console.info(`${copy.project}: ${copy.client.name} ${copy.client.version}, ${copy.net}.0/24`);
    }
    for (const result of started) if (result.status === 'rejected') throw result.reason;
  }, 600_000);

  afterAll(async () => {
    const made = copies.filter((c) => c.dir);
    await Promise.allSettled(made.map((copy) => down(copy)));
    // What `down` left, if it failed: removed by the project label compose put on everything.
    for (const copy of made) await removeProjectResources(copy.project);
    await Promise.all(made.map((c) => rm(c.dir, { recursive: true, force: true })));
  }, 120_000);

  it('runs two copies at once, each with the metadata endpoint at .2 of its own /24', async () => {
    for (const copy of copies) {
      const metadata = await container(copy, 'metadata');
      const address = await runOk('docker', [
        'inspect',
        '--format',
        '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
        metadata,
      ]);
      expect(address.trim(), `${copy.project} (${copy.client.name})`).toBe(`${copy.net}.2`);
    }
    expect(new Set(copies.map((c) => c.net)).size).toBe(2);
  });

  it('runs whoami in each batch task, against the endpoint of its own task', async () => {
    for (const copy of copies) {
      for (const [i, task] of tasks.entries()) {
        const id = await container(copy, `batch-task-${i + 1}`);
        expect(await exitCode(id), `${copy.project} batch-task-${i + 1}: ${await logs(id)}`).toBe(0);
        const output = await logs(id);
        expect(output).toMatch(new RegExp(`taskArn\\s+${escapeRegExp(task.facts.taskArn)}`));
        expect(output).toMatch(new RegExp(`family\\s+${escapeRegExp(task.facts.family)}`));
      }
    }
  });

  it('has the sink take one message from each batch task', async () => {
    for (const copy of copies) {
      await batchTasksExited(copy);
      const texts = (await sinkMessages(copy)).map((m) => m.payload.text);
      for (const task of tasks) {
        expect(texts.filter((t) => t.endsWith(`Hello from a batch task of ${task.label}`))).toHaveLength(1);
      }
      expect(texts).toHaveLength(tasks.length);
    }
  });

  it('notifies the example event through the Lambda image, then skips its duplicate', async () => {
    for (const copy of copies) {
      await batchTasksExited(copy);
      const port = await hostPort(copy, 'notifier', 8080);
      const invoke = async () => {
        const url = `http://127.0.0.1:${port}/2015-03-31/functions/function/invocations`;
        const body = await readFile(path.join(copy.dir, 'event.json'), 'utf8');
        return (await fetch(url, { method: 'POST', body })).json();
      };

      expect(await invoke()).toEqual({ status: 'notified' });
      expect(await invoke()).toEqual({
        status: 'skipped',
        reason: 'duplicate: this task stop was already notified',
      });
      expect(await sinkMessages(copy)).toHaveLength(tasks.length + 1);
    }
  });

  it('stops, leaving no container, network or volume behind', async () => {
    for (const copy of copies) {
      await down(copy);
      expect(await projectResources(copy.project)).toEqual([]);
    }
  });

  /** A /24 in 169.254.171–254 that no Docker network has (170 stays for a copy run by hand). */
  function freeNet(taken: Set<string>): string {
    const free = Array.from({ length: 84 }, (_, i) => `169.254.${171 + i}`).filter((n) => !taken.has(n));
    const net = free[Math.floor(Math.random() * free.length)];
    if (!net) throw new Error('every /24 in 169.254.171.0–169.254.254.0 is taken by a Docker network');
    return net;
  }

  function compose(copy: Copy, args: string[]): ReturnType<typeof run> {
    const env = {
      ...process.env,
      [COMPOSE_VARIABLES.net.name]: copy.net,
      [COMPOSE_VARIABLES.sinkPort.name]: '0',
      [COMPOSE_VARIABLES.lambdaPort.name]: '0',
    };
    // The host's node_modules: containers here cannot reach the npm registry.
    const files = ['-f', 'compose.yaml', '-f', 'compose.host-modules.yaml'];
    return run(copy.client.command, [...copy.client.prefix, '-p', copy.project, ...files, ...args], {
      env,
      cwd: copy.dir,
    });
  }

  /** `up -d`, on another /24 when a run elsewhere took this one meanwhile. */
  async function up(copy: Copy, taken: Set<string>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const result = await compose(copy, ['up', '-d']);
      if (result.code === 0) return;
      if (!/overlaps/i.test(result.stderr) || attempt === 3) {
        throw new Error(
          `${copy.client.name} up for ${copy.project} exited ${result.code}:\n${result.stderr}`,
        );
      }
      await compose(copy, ['down', '-v', '-t', '1']);
      copy.net = freeNet(taken);
      taken.add(copy.net);
    }
  }

  async function down(copy: Copy): Promise<void> {
    const result = await compose(copy, ['down', '-v', '--remove-orphans', '-t', '1']);
    if (result.code !== 0) throw new Error(`${copy.client.name} down for ${copy.project}: ${result.stderr}`);
  }

  async function container(copy: Copy, service: string): Promise<string> {
    const id = await runOk('docker', [
      'ps',
      '-a',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${copy.project}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
    ]);
    if (!id.trim()) throw new Error(`${copy.project} has no ${service} container`);
    return id.trim();
  }

  /** The container's exit code, once it has exited. */
  async function exitCode(id: string): Promise<number> {
    return poll(async () => {
      const [status, code] = (
        await runOk('docker', ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', id])
      )
        .trim()
        .split(' ');
      return status === 'exited' ? Number(code) : undefined;
    }, `container ${id} to exit`);
  }

  async function batchTasksExited(copy: Copy): Promise<void> {
    for (const i of tasks.keys()) await exitCode(await container(copy, `batch-task-${i + 1}`));
  }

  async function logs(id: string): Promise<string> {
    const result = await run('docker', ['logs', id]);
    return result.stdout + result.stderr;
  }

  async function hostPort(copy: Copy, service: string, port: number): Promise<string> {
    const published = await runOk('docker', ['port', await container(copy, service), String(port)]);
    const hostPort = /127\.0\.0\.1:(\d+)/.exec(published)?.[1];
    if (!hostPort)
      throw new Error(`${copy.project} ${service}:${port} is not published on 127.0.0.1: ${published}`);
    return hostPort;
  }

  async function sinkMessages(copy: Copy): Promise<{ payload: { text: string } }[]> {
    const response = await fetch(`http://127.0.0.1:${await hostPort(copy, 'slack-sink', 8082)}/messages`);
    return (await response.json()) as { payload: { text: string } }[];
  }
});

async function poll<T>(attempt: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
