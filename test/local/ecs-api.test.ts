import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEcsDescribeTasks } from '../../lambda/adapters/ecs.js';
import { createEcsDescribeTaskDefinition } from '../../lambda/adapters/task-definitions.js';
import { localEcsClient } from '../../local/demo.js';
import { DEMO_CONFIG } from '../../local/demo-config.js';
import { startEcsApi } from '../../local/ecs-api.js';
import type { RunningServer } from '../../local/http.js';
import { generateLocalTasks } from '../../local/tasks.js';

const tasks = generateLocalTasks(DEMO_CONFIG);
const [prod] = tasks;
let api: RunningServer;
beforeAll(async () => {
  api = await startEcsApi({
    tasks: tasks.map((t) => t.described),
    clusters: DEMO_CONFIG.sources.map((s) => s.clusterArn),
    taskDefinitions: tasks.map((t) => t.taskDefinition),
  });
});
afterAll(() => api.close());

const describeTasks = () =>
  createEcsDescribeTasks({ clientFor: (region) => localEcsClient(api.url, region) });

describe('local ECS API', () => {
  it('answers DescribeTasks for a task it knows, through the real ECSClient', async () => {
    const facts = prod?.facts;
    if (!facts) throw new Error('no demo task');

    const results = await describeTasks()(facts.clusterArn, facts.region, [facts.taskArn]);

    const result = results.get(facts.taskArn);
    expect(result?.kind).toBe('found');
    expect(result?.kind === 'found' && result.task).toMatchObject({
      family: facts.family,
      revision: facts.revision,
      lastStatus: 'STOPPED',
    });
  });

  it('sends epoch-second timestamps and tags, as the wire does', async () => {
    const facts = prod?.facts;
    if (!facts) throw new Error('no demo task');

    const results = await describeTasks()(facts.clusterArn, facts.region, [facts.taskArn]);

    const result = results.get(facts.taskArn);
    expect(result?.kind === 'found' && result.task.stoppedAt?.toISOString()).toBe(
      facts.times.stopped.toISOString(),
    );
    expect(result?.kind === 'found' && result.task.tags).toEqual(facts.tags);
  });

  it('answers MISSING for a task it does not know', async () => {
    const facts = prod?.facts;
    if (!facts) throw new Error('no demo task');
    const unknown = facts.taskArn.replace(facts.taskId, '0'.repeat(32));

    const results = await describeTasks()(facts.clusterArn, facts.region, [unknown]);

    expect(results.get(unknown)).toEqual({ kind: 'missing', reason: 'MISSING' });
  });

  it('answers an unknown X-Amz-Target with an AWS JSON error', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListTasks',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('answers ClusterNotFoundException for a cluster it does not know', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeTasks' },
      body: JSON.stringify({ cluster: 'nope', tasks: ['abc'] }),
    });

    expect(await response.json()).toEqual({
      __type: 'ClusterNotFoundException',
      message: 'Cluster not found.',
    });
  });
});

describe('local ECS API: DescribeTaskDefinition', () => {
  const describeTaskDefinition = () =>
    createEcsDescribeTaskDefinition({ clientFor: (region) => localEcsClient(api.url, region) });

  it('answers the revision a task ran, by ARN, through the real ECSClient', async () => {
    const facts = prod?.facts;
    if (!facts) throw new Error('no demo task');

    const answer = await describeTaskDefinition()(facts.taskDefinitionArn, facts.region);

    expect(answer).toMatchObject({
      kind: 'found',
      definition: {
        family: facts.family,
        revision: facts.revision,
        containers: [
          {
            name: 'job',
            essential: true,
            logDriver: 'awslogs',
            logOptions: { 'awslogs-group': facts.logGroup, 'awslogs-stream-prefix': 'ecs' },
          },
        ],
      },
    });
  });

  it('answers family:revision, and a family alone with its latest revision', async () => {
    const facts = prod?.facts;
    if (!facts) throw new Error('no demo task');
    const ask = (taskDefinition: string) =>
      fetch(api.url, {
        method: 'POST',
        headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition' },
        body: JSON.stringify({ taskDefinition, include: ['TAGS'] }),
      }).then((r) => r.json());

    expect(await ask(`${facts.family}:${facts.revision}`)).toMatchObject({
      taskDefinition: { taskDefinitionArn: facts.taskDefinitionArn },
      tags: [],
    });
    expect(await ask(facts.family)).toMatchObject({ taskDefinition: { revision: facts.revision } });
  });

  it('answers ClientException for a revision it does not know, which the adapter keeps as lasting', async () => {
    const facts = prod?.facts;
    if (!facts) throw new Error('no demo task');

    const answer = await describeTaskDefinition()(`${facts.taskDefinitionArn}0`, facts.region);

    expect(answer).toEqual({ kind: 'unavailable', reason: 'ClientException (HTTP 400)', lasting: true });
  });
});
