import { describe, expect, it } from 'vitest';
import {
  containerLogs,
  failedContainer,
  logGroupAllowed,
  tailContainer,
} from '../../../../lambda/domain/logs/log-streams.js';
import type { ContainerState } from '../../../../lambda/domain/task/task.js';
import type { ContainerDefinition, TaskDefinition } from '../../../../lambda/domain/task/task-definition.js';
import { taskFrom } from '../../../support/reports.js';

/** The fixture's Fargate task (eu-west-1, task ID 5d4c…), with these containers. */
function fargateTask(containers: ContainerState[] = []) {
  return taskFrom('fargate-stopped-succeeded', containers.length ? { containers } : {});
}

function definition(...containers: Partial<ContainerDefinition>[]): TaskDefinition {
  return {
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/nightly-report:12',
    family: 'nightly-report',
    revision: 12,
    containers: containers.map((c, i) => ({ name: `c${i}`, essential: true, logOptions: {}, ...c })),
  };
}

const awslogs = (options: Record<string, string>): Partial<ContainerDefinition> => ({
  logDriver: 'awslogs',
  logOptions: options,
});

describe('containerLogs: where each container logs', () => {
  it("names the awslogs stream <prefix>/<container>/<task ID>, in the task's region and account", () => {
    const task = fargateTask();

    const [log] = containerLogs(
      task,
      definition({
        name: 'report',
        ...awslogs({ 'awslogs-group': '/ecs/report', 'awslogs-stream-prefix': 'ecs' }),
      }),
    );

    expect(log).toEqual({
      container: 'report',
      driver: 'awslogs',
      stream: {
        group: '/ecs/report',
        stream: `ecs/report/${task.taskId}`,
        region: task.region,
        partition: 'aws',
        account: task.account,
      },
    });
  });

  it('without a prefix (EC2), names the stream by the container runtime ID', () => {
    const runtimeId = '3b1f7c0d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c';
    const task = fargateTask([{ name: 'import', exitCode: 1, runtimeId }]);

    const [log] = containerLogs(
      task,
      definition({ name: 'import', ...awslogs({ 'awslogs-group': '/ecs/import' }) }),
    );

    expect(log?.stream?.stream).toBe(runtimeId);
  });

  it('without a prefix or a runtime ID, gives no stream and says why', () => {
    const task = fargateTask([{ name: 'import', exitCode: 1 }]);

    const [log] = containerLogs(
      task,
      definition({ name: 'import', ...awslogs({ 'awslogs-group': '/ecs/import' }) }),
    );

    expect(log).toEqual({
      container: 'import',
      driver: 'awslogs',
      note: 'no stream prefix, and no runtime ID to name the stream',
    });
  });

  it('reads a group in another region from awslogs-region, with that region partition', () => {
    const options = {
      'awslogs-group': '/ecs/import',
      'awslogs-region': 'cn-north-1',
      'awslogs-stream-prefix': 'x',
    };

    const [log] = containerLogs(fargateTask(), definition({ name: 'import', ...awslogs(options) }));

    expect(log?.stream).toMatchObject({ region: 'cn-north-1', partition: 'aws-cn' });
  });

  it('gives no stream for awslogs without a group, or with a region that is not one', () => {
    const logs = containerLogs(
      fargateTask(),
      definition(
        { name: 'a', ...awslogs({ 'awslogs-stream-prefix': 'ecs' }) },
        {
          name: 'b',
          ...awslogs({ 'awslogs-group': '/g', 'awslogs-region': 'eu west', 'awslogs-stream-prefix': 'p' }),
        },
      ),
    );

    expect(logs).toEqual([
      { container: 'a', driver: 'awslogs', note: 'no awslogs-group option' },
      { container: 'b', driver: 'awslogs', note: 'awslogs-region is not a region' },
    ]);
  });

  it('names other drivers (FireLens, Splunk) without a stream, and a container without logConfiguration as such', () => {
    const logs = containerLogs(
      fargateTask(),
      definition(
        { name: 'app', logDriver: 'awsfirelens', logOptions: { Name: 'cloudwatch' } },
        { name: 'audit', logDriver: 'splunk', logOptions: { 'splunk-url': 'https://splunk.example' } },
        { name: 'quiet' },
      ),
    );

    expect(logs).toEqual([
      { container: 'app', driver: 'awsfirelens' },
      { container: 'audit', driver: 'splunk' },
      { container: 'quiet' },
    ]);
  });
});

describe('failedContainer: whose log explains the failure', () => {
  it('is the first essential container with a non-zero exit code, passing over a failed sidecar', () => {
    const task = fargateTask([
      { name: 'sidecar', exitCode: 137 },
      { name: 'app', exitCode: 0 },
      { name: 'job', exitCode: 2 },
    ]);

    const failed = failedContainer(
      task,
      definition({ name: 'sidecar', essential: false }, { name: 'app' }, { name: 'job' }),
    );

    expect(failed).toBe('job');
  });

  it('counts a missing exit code as a failure (never started, killed)', () => {
    const task = fargateTask([
      { name: 'app', exitCode: 0 },
      { name: 'job', exitCode: null },
    ]);

    expect(failedContainer(task, definition({ name: 'app' }, { name: 'job' }))).toBe('job');
  });

  it('is none when every essential container exited 0', () => {
    const task = fargateTask([{ name: 'app', exitCode: 0 }]);

    expect(failedContainer(task, definition({ name: 'app' }))).toBeUndefined();
  });
});

describe('logGroupAllowed', () => {
  it('matches names exactly and prefixes ending in *', () => {
    const patterns = ['/ecs/batch-*', '/ecs/report'];

    expect(logGroupAllowed('/ecs/batch-import', patterns)).toBe(true);
    expect(logGroupAllowed('/ecs/report', patterns)).toBe(true);
    expect(logGroupAllowed('/ecs/report-2', patterns)).toBe(false);
    expect(logGroupAllowed('/ecs/batch', patterns)).toBe(false);
    expect(logGroupAllowed('/ecs/report', [])).toBe(false);
  });
});

describe('tailContainer', () => {
  it('is the failed container, else (a task that succeeded) the first essential one', () => {
    const failed = fargateTask([
      { name: 'app', exitCode: 0 },
      { name: 'job', exitCode: 1 },
    ]);
    const succeeded = fargateTask([
      { name: 'sidecar', exitCode: 0 },
      { name: 'app', exitCode: 0 },
    ]);
    const tasks = definition({ name: 'sidecar', essential: false }, { name: 'app' }, { name: 'job' });

    expect(tailContainer(failed, tasks)).toBe('job');
    expect(tailContainer(succeeded, tasks)).toBe('app');
  });
});
