import { DescribeTasksCommand, ECSClient, ECSServiceException } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEcsDescribeTasks } from '../../../lambda/adapters/ecs.js';
import { loadFixture } from '../../support/fixtures.js';

const ecsMock = mockClient(ECSClient);
const CLUSTER = 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-a';
const describeTasks = createEcsDescribeTasks({ clientFor: () => new ECSClient({ region: 'eu-west-1' }) });

function taskArn(i: number): string {
  return `arn:aws:ecs:eu-west-1:111122223333:task/batch-a/${i.toString(16).padStart(32, '0')}`;
}

function sdkError(name: string, status: number): ECSServiceException {
  return new ECSServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

beforeEach(() => {
  ecsMock.reset();
});

describe('createEcsDescribeTasks', () => {
  it('asks for tags and reads the task as the SDK returns it, with Date timestamps', async () => {
    const saved = loadFixture<{ tasks: Record<string, unknown>[] }>('describe-tasks/cli-v2-fargate.json')
      .tasks[0];
    const sdkTask = {
      ...saved,
      stoppedAt: new Date('2025-03-04T02:10:41.913Z'),
      createdAt: new Date('2025-03-04T02:00:00.120Z'),
    };
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [sdkTask], failures: [] });
    const arn = String(saved?.taskArn);
    const results = await describeTasks(CLUSTER, 'eu-west-1', [arn]);
    expect(ecsMock.commandCalls(DescribeTasksCommand)[0]?.args[0].input).toEqual({
      cluster: CLUSTER,
      tasks: [arn],
      include: ['TAGS'],
    });
    const result = results.get(arn);
    expect(result?.kind).toBe('found');
    if (result?.kind === 'found') {
      expect(result.task).toMatchObject({
        family: 'nightly-report',
        revision: 42,
        capacityProviderName: 'FARGATE_SPOT',
      });
      expect(result.task.tags).toEqual({ team: 'data', env: 'prod' });
      expect(result.task.stoppedAt?.toISOString()).toBe('2025-03-04T02:10:41.913Z');
    }
  });

  it('batches 150 tasks of one cluster into calls of at most 100', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [], failures: [] });
    await describeTasks(
      CLUSTER,
      'eu-west-1',
      Array.from({ length: 150 }, (_, i) => taskArn(i)),
    );
    expect(ecsMock.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([
      100, 50,
    ]);
  });

  it('reports a task that ECS answers MISSING for as missing', async () => {
    ecsMock
      .on(DescribeTasksCommand)
      .resolves({ tasks: [], failures: [{ arn: taskArn(1), reason: 'MISSING' }] });
    expect((await describeTasks(CLUSTER, 'eu-west-1', [taskArn(1)])).get(taskArn(1))).toEqual({
      kind: 'missing',
      reason: 'MISSING',
    });
  });

  it.each([
    ['ThrottlingException', 400],
    ['AccessDeniedException', 400],
    ['ServerException', 500],
  ])(
    'reports every task of a call that failed with %s as unavailable, naming the error',
    async (name, status) => {
      ecsMock.on(DescribeTasksCommand).rejects(sdkError(name, status));
      const results = await describeTasks(CLUSTER, 'eu-west-1', [taskArn(1), taskArn(2)]);
      expect([...results.values()]).toEqual([
        { kind: 'unavailable', reason: `${name} (HTTP ${status})` },
        { kind: 'unavailable', reason: `${name} (HTTP ${status})` },
      ]);
    },
  );

  it('reports a task the answer does not mention as unavailable', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [], failures: [] });
    expect((await describeTasks(CLUSTER, 'eu-west-1', [taskArn(3)])).get(taskArn(3))).toEqual({
      kind: 'unavailable',
      reason: 'not in the DescribeTasks answer',
    });
  });
});
