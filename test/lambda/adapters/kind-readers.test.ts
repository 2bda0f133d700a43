import { BatchClient } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchDescribeJobs } from '../../../lambda/adapters/batch.js';
import { createEcsDescribeServices } from '../../../lambda/adapters/ecs-services.js';
import { startBatchApi } from '../../../local/batch-api.js';
import { LOCAL_CREDENTIALS, localEcsClient } from '../../../local/demo.js';
import { startEcsApi } from '../../../local/ecs-api.js';
import type { RunningServer } from '../../../local/http.js';
import { loadFixture } from '../../support/fixtures.js';

const CLUSTER = 'arn:aws:ecs:us-east-2:444455556666:cluster/batch-b';
const WEB = 'arn:aws:ecs:us-east-2:444455556666:service/batch-b/web';
const GONE = 'arn:aws:ecs:us-east-2:444455556666:service/batch-b/gone';
const JOB = '0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';

/** The wire's shape: epoch seconds where the CLI printed ISO times. */
function wireService(): Record<string, unknown> {
  const saved = loadFixture<{ services: Record<string, unknown>[] }>(
    'describe-services/web-rolled-back.json',
  );
  return JSON.parse(JSON.stringify(saved.services[0]), (key, value) =>
    key === 'createdAt' || key === 'updatedAt' ? Date.parse(value) / 1000 : value,
  );
}

describe('DescribeServices through the real ECSClient, against the local ECS API', () => {
  let api: RunningServer;
  beforeAll(async () => {
    api = await startEcsApi({ tasks: [], clusters: [CLUSTER], services: [wireService()] });
  });
  afterAll(() => api.close());

  it('reads the service: its revision, deployments with their rollout, subnets and events', async () => {
    const describe = createEcsDescribeServices({ clientFor: (region) => localEcsClient(api.url, region) });

    const answer = (await describe(CLUSTER, 'us-east-2', [WEB])).get(WEB);

    expect(answer?.kind).toBe('found');
    if (answer?.kind !== 'found') return;
    expect(answer.value).toMatchObject({
      family: 'web',
      revision: 12,
      subnets: ['subnet-0b2c3d4e'],
      desiredCount: 3,
    });
    expect(
      answer.value.deployments.map((d) => [d.id, d.status, `${d.family}:${d.revision}`, d.rolloutState]),
    ).toEqual([
      ['ecs-svc/8820374615529013377', 'PRIMARY', 'web:12', 'IN_PROGRESS'],
      ['ecs-svc/4471091638524190273', 'ACTIVE', 'web:13', 'FAILED'],
    ]);
    expect(answer.value.events[1]?.createdAt?.toISOString()).toBe('2025-02-10T07:12:40.228Z');
  });

  it('says a service ECS does not know is missing, and one of a failed call unavailable', async () => {
    const describe = createEcsDescribeServices({ clientFor: (region) => localEcsClient(api.url, region) });
    expect((await describe(CLUSTER, 'us-east-2', [GONE])).get(GONE)).toEqual({
      kind: 'missing',
      reason: 'MISSING',
    });

    const closed = createEcsDescribeServices({
      clientFor: (region) => localEcsClient('http://127.0.0.1:9', region),
    });
    expect((await closed(CLUSTER, 'us-east-2', [WEB])).get(WEB)?.kind).toBe('unavailable');
  });

  it('asks ten services a call at most', async () => {
    const arns = Array.from({ length: 23 }, (_, i) => `${GONE}-${i}`);
    const describe = createEcsDescribeServices({ clientFor: (region) => localEcsClient(api.url, region) });

    const answers = await describe(CLUSTER, 'us-east-2', arns);

    expect([...answers.values()].every((a) => a.kind === 'missing')).toBe(true);
    expect(answers.size).toBe(23);
  });
});

describe('Batch DescribeJobs through the real BatchClient, against the local Batch API', () => {
  let api: RunningServer;
  const client = (endpoint: string) =>
    new BatchClient({ region: 'us-east-2', endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  beforeAll(async () => {
    api = await startBatchApi({
      jobs: loadFixture<{ jobs: Record<string, unknown>[] }>('describe-jobs/failed-exit-code.json').jobs,
    });
  });
  afterAll(() => api.close());

  it('reads a job it knows, and says one it leaves out is missing', async () => {
    const describe = createBatchDescribeJobs({ clientFor: () => client(api.url) });

    const answers = await describe('us-east-2', '444455556666', [JOB, 'gone']);

    const found = answers.get(JOB);
    expect(found?.kind === 'found' && found.value).toMatchObject({
      jobName: 'customer-export',
      logGroup: '/batch/exports',
    });
    expect(answers.get('gone')).toEqual({ kind: 'missing', reason: 'DescribeJobs does not know this job' });
  });

  it('makes every job of a failed call unavailable, naming the error', async () => {
    const describe = createBatchDescribeJobs({ clientFor: () => client('http://127.0.0.1:9') });

    expect((await describe('us-east-2', undefined, [JOB])).get(JOB)?.kind).toBe('unavailable');
  });

  it('is served by the local ECS API too, on its own port', async () => {
    const ecs = await startEcsApi({
      tasks: [],
      jobs: [
        {
          ...loadFixture<{ jobs: Record<string, unknown>[] }>('describe-jobs/failed-exit-code.json').jobs[0],
        },
      ],
    });
    try {
      const describe = createBatchDescribeJobs({ clientFor: () => client(ecs.url) });
      expect((await describe('us-east-2', undefined, [JOB])).get(JOB)?.kind).toBe('found');
    } finally {
      await ecs.close();
    }
  });
});
