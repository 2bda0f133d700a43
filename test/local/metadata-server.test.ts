import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../lambda/domain/config/config.js';
import type { RunningServer } from '../../local/http.js';
import { snapshotsFromTasks, startMetadataServer } from '../../local/metadata-server.js';
import { generateLocalTasks } from '../../local/tasks.js';
import { cleanEnv, runCli, type ServingCli, serveCli } from './cli.js';

const config = parseNotifierConfig({
  sources: [
    {
      label: 'etl (prod)',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod',
      vpcId: 'vpc-0aaa1111bbbb2222c',
    },
    { label: 'etl (test)', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/test' },
  ],
});
const [fargate, ec2] = generateLocalTasks(config);
let server: RunningServer;
const get = async (path: string) => {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
beforeAll(async () => {
  server = await startMetadataServer({ snapshots: snapshotsFromTasks(generateLocalTasks(config)) });
});
afterAll(() => server.close());

describe('generated task snapshots', () => {
  it('keeps the IDs stable across runs', () => {
    expect(generateLocalTasks(config).map((t) => t.id)).toEqual([fargate?.id, ec2?.id]);
  });

  it('reports the cluster ARN on Fargate and the short name on EC2, with Revision a string', async () => {
    const a = await get(`/v4/${fargate?.id}/task`);
    const b = await get(`/v4/${ec2?.id}/task`);

    expect([a.body.Cluster, a.body.LaunchType, typeof a.body.Revision]).toEqual([
      config.sources[0]?.clusterArn,
      'FARGATE',
      'string',
    ]);
    expect([b.body.Cluster, b.body.LaunchType]).toEqual(['test', 'EC2']);
  });

  it('uses the configured VPC as VPCID', async () => {
    expect((await get(`/v4/${fargate?.id}/task`)).body.VPCID).toBe('vpc-0aaa1111bbbb2222c');
  });
});

describe('metadata endpoint paths', () => {
  it('serves the container at /v4/<id>', async () => {
    expect((await get(`/v4/${ec2?.id}`)).body.Name).toBe('job');
  });

  it('adds TaskTags at /v4/<id>/taskWithTags only', async () => {
    expect((await get(`/v4/${fargate?.id}/taskWithTags`)).body.TaskTags).toEqual(fargate?.facts.tags);
    expect((await get(`/v4/${fargate?.id}/task`)).body).not.toHaveProperty('TaskTags');
  });

  it('answers v3 paths without the v4-only fields', async () => {
    const { body } = await get(`/v3/${fargate?.id}/task`);

    expect(body.TaskARN).toBe(fargate?.facts.taskArn);
    expect(body).not.toHaveProperty('VPCID');
    expect(body).not.toHaveProperty('LaunchType');
  });

  it('serves Docker stats for the container and, keyed by Docker ID, for the task', async () => {
    const container = await get(`/v4/${ec2?.id}/stats`);
    const task = await get(`/v3/${ec2?.id}/task/stats`);

    expect(container.body).toHaveProperty('memory_stats');
    expect(Object.keys(task.body)).toHaveLength(2);
  });

  it('answers 404 with the known paths for an unknown ID', async () => {
    const { status, body } = await get('/v4/nope/task');

    expect(status).toBe(404);
    expect(body.paths).toContain(`/v4/${fargate?.id}`);
  });
});

describe('local command', () => {
  let serving: ServingCli | undefined;
  afterAll(() => serving?.stop());

  it('serves one task per configured source, which whoami reads', async () => {
    serving = await serveCli(['local', '--port', '0'], /^Ctrl-C to stop/);
    const uris = [...serving.output.matchAll(/ECS_CONTAINER_METADATA_URI_V4=(\S+)/g)].map((m) => m[1] ?? '');

    const families = [];
    for (const uri of uris) {
      const result = await runCli(['whoami', '--json'], cleanEnv({ ECS_CONTAINER_METADATA_URI_V4: uri }));
      families.push(JSON.parse(result.stdout).family);
    }

    expect(families).toEqual(['nightly-import-prod', 'nightly-import-staging']);
  });
});
