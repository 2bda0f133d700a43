import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, FIXTURES, runCli, type ServingCli, serveCli } from './cli.js';

const V4_LINE = /^ECS_CONTAINER_METADATA_URI_V4=http:\/\/127\.0\.0\.1:\d+\/v4\/\S+$/;

let serving: ServingCli | undefined;
afterEach(async () => {
  await serving?.stop();
  serving = undefined;
});

async function whoamiAgainst(fixture: string): Promise<Record<string, unknown>> {
  serving = await serveCli(
    ['metadata', 'serve', '--task', path.join(FIXTURES, fixture), '--port', '0'],
    V4_LINE,
  );
  const [name, value] = serving.line.split('=') as [string, string];
  const result = await runCli(['whoami', '--json'], cleanEnv({ [name]: value }));
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('metadata serve + whoami', () => {
  it('prints ECS_CONTAINER_METADATA_URI_V4 on a line of its own, on a free port', async () => {
    serving = await serveCli(
      ['metadata', 'serve', '--task', path.join(FIXTURES, 'v4-ec2-task.json'), '--port', '0'],
      V4_LINE,
    );

    expect(serving.line).toMatch(/\/v4\/0c5e2b7d9a4f41e3b8d6f1a2c3e4d5f6$/);
  });

  it('reports an EC2 task with its short cluster name, zone, launch type and VPC', async () => {
    expect(await whoamiAgainst('v4-ec2-task.json')).toEqual({
      cluster: 'batch-ec2',
      taskArn: 'arn:aws:ecs:eu-central-1:444455556666:task/batch-ec2/0c5e2b7d9a4f41e3b8d6f1a2c3e4d5f6',
      family: 'invoice-export',
      revision: 12,
      knownStatus: 'RUNNING',
      availabilityZone: 'eu-central-1b',
      launchType: 'EC2',
      vpcId: 'vpc-0c1d2e3f4a5b6c7d8',
    });
  });

  it('reports a Fargate task with the cluster ARN as the endpoint gives it', async () => {
    expect(await whoamiAgainst('v4-fargate-task.json')).toMatchObject({
      cluster: 'arn:aws:ecs:us-east-1:777788889999:cluster/reports-fargate',
      family: 'monthly-report',
      revision: 3,
      launchType: 'FARGATE',
      vpcId: 'vpc-0123abcd4567ef890',
    });
  });

  it('reports the old v2/v3 shape with nulls for what it does not say', async () => {
    expect(await whoamiAgainst('v3-fargate-task-old-arn.json')).toMatchObject({
      taskArn: 'arn:aws:ecs:ap-northeast-1:222233334444:task/3f2e1d0c-9b8a-4766-a554-433221100ffe',
      family: 'ledger-sync',
      revision: 41,
      availabilityZone: null,
      launchType: null,
      vpcId: null,
    });
  });

  it('reports a task early in its life, KnownStatus NONE', async () => {
    expect(await whoamiAgainst('v4-fargate-task-pending.json')).toMatchObject({
      knownStatus: 'NONE',
      revision: 4,
    });
  });

  it('falls back to the v3 ECS_CONTAINER_METADATA_URI, which has no VPC', async () => {
    serving = await serveCli(
      ['metadata', 'serve', '--task', path.join(FIXTURES, 'v4-ec2-task.json'), '--port', '0'],
      V4_LINE,
    );
    const v3 = serving.line.split('=')[1]?.replace('/v4/', '/v3/') ?? '';

    const result = await runCli(['whoami', '--json'], cleanEnv({ ECS_CONTAINER_METADATA_URI: v3 }));

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      family: 'invoice-export',
      revision: 12,
      vpcId: null,
      launchType: null,
    });
  });

  it('refuses to serve a container response, saying what to capture', async () => {
    const result = await runCli(['metadata', 'serve', '--task', path.join(FIXTURES, 'v4-container.json')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('looks like a container response');
  });
});

describe('whoami outside a task', () => {
  it('exits 1 naming ECS_CONTAINER_METADATA_URI_V4 when no endpoint is set', async () => {
    const result = await runCli(['whoami']);

    expect(result.code).toBe(1);
    // Plainly: no internal class name between the command and what went wrong.
    expect(result.stderr).toMatch(/^ecs-task-notifier whoami: ECS_CONTAINER_METADATA_URI_V4 is not set/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('gives up on an endpoint that accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const result = await runCli(
        ['whoami'],
        cleanEnv({ ECS_CONTAINER_METADATA_URI_V4: `http://127.0.0.1:${port}/v4/x` }),
      );

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no answer within 2000 ms');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('says the endpoint is unreachable when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));

    const result = await runCli(
      ['whoami'],
      cleanEnv({ ECS_CONTAINER_METADATA_URI_V4: `http://127.0.0.1:${port}/v4/x` }),
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      // The CLI prints no URL path, which for a webhook would be its secret.
      `could not reach the task metadata endpoint http://127.0.0.1:${port}/…: ECONNREFUSED`,
    );
  });
});
