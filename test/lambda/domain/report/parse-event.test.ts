import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../../lambda/domain/report/parse-event.js';
import { loadEvent } from '../../../support/fixtures.js';

function taskOf(name: string) {
  const parsed = parseEvent(loadEvent(name));
  if (parsed.kind !== 'task')
    throw new Error(`expected a task, got ${parsed.kind}: ${'reason' in parsed ? parsed.reason : ''}`);
  return parsed.task;
}

describe('parseEvent', () => {
  it('reads a Fargate STOPPED event into the task model, subnet from the eni attachment', () => {
    const task = taskOf('fargate-stopped-succeeded');
    expect(task).toMatchObject({
      family: 'nightly-report',
      revision: 42,
      clusterName: 'batch-a',
      taskId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      region: 'eu-west-1',
      lastStatus: 'STOPPED',
      launchType: 'FARGATE',
      subnetId: 'subnet-0aaa1111',
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'report', exitCode: 0, lastStatus: 'STOPPED' }],
      tags: {},
    });
    expect(task.stoppedAt?.toISOString()).toBe('2025-03-04T02:10:41.913Z');
  });

  it('reads an old-format task ARN with no launchType and one fractional digit', () => {
    const task = taskOf('oldarn-running-no-launchtype');
    expect(task.taskId).toBe('2c1b0a99-8e7d-4c6b-9a58-473625140fed');
    expect(task.clusterName).toBe('default');
    expect(task.launchType).toBeUndefined();
    expect(task.startedAt?.toISOString()).toBe('2016-12-06T16:41:06.800Z');
  });

  it('keeps the revision unknown when the taskDefinitionArn has none', () => {
    expect(taskOf('no-revision-stopped').revision).toBeNull();
  });

  it('accepts the aws-cn and aws-us-gov partitions and non-numeric or short accounts', () => {
    expect(taskOf('aws-cn-scheduler-stopped')).toMatchObject({
      partition: 'aws-cn',
      account: 'XXXXXXXXXXXX',
    });
    expect(taskOf('us-gov-failed-to-start')).toMatchObject({ partition: 'aws-us-gov', account: '123' });
  });

  it('skips an event of another detail-type with the reason', () => {
    expect(parseEvent(loadEvent('container-instance-change'))).toEqual({
      kind: 'skip',
      reason: 'not an event the notifier reads: detail-type "ECS Container Instance State Change"',
    });
  });

  it('rejects a task event without taskDefinitionArn, naming the field', () => {
    expect(parseEvent(loadEvent('spot-termination-partial'))).toEqual({
      kind: 'reject',
      reason: 'detail.taskDefinitionArn is required',
    });
  });

  it('skips a partial event whose status the filters leave out, instead of rejecting it', () => {
    const filters = { notifyOn: ['STOPPED' as const], ignoreGroups: [] };
    expect(parseEvent(loadEvent('spot-termination-partial'), filters)).toEqual({
      kind: 'skip',
      reason: 'lastStatus RUNNING is not in notifyOn (STOPPED)',
    });
  });

  it('skips a partial event in an ignored group, instead of rejecting it', () => {
    const event = loadEvent('spot-termination-partial');
    event.detail.group = 'service:web';
    const filters = { notifyOn: ['RUNNING' as const], ignoreGroups: ['service:'] };
    expect(parseEvent(event, filters)).toMatchObject({
      kind: 'skip',
      reason: expect.stringContaining('service:'),
    });
  });

  it('still rejects a partial event the filters let through, naming the missing field', () => {
    const filters = { notifyOn: ['RUNNING' as const], ignoreGroups: [] };
    expect(parseEvent(loadEvent('spot-termination-partial'), filters)).toEqual({
      kind: 'reject',
      reason: 'detail.taskDefinitionArn is required',
    });
  });

  it.each([
    ['taskArn', undefined, 'detail.taskArn is required'],
    ['lastStatus', 42, 'detail.lastStatus expected string, got 42'],
    ['clusterArn', 'batch-a', 'detail.clusterArn expected an ECS cluster ARN, got "batch-a"'],
    ['stoppedAt', 'last tuesday', 'detail.stoppedAt is not a timestamp: "last tuesday"'],
    [
      'containers',
      [{ name: 'x', exitCode: 'one' }],
      'detail.containers[0].exitCode expected number, got "one"',
    ],
  ])('rejects a bad %s with a one-line reason naming it', (field, value, reason) => {
    const event = loadEvent('fargate-stopped-succeeded');
    event.detail[field] = value;
    expect(parseEvent(event)).toEqual({ kind: 'reject', reason });
  });

  it('rejects what is not an event object', () => {
    expect(parseEvent([1, 2])).toEqual({ kind: 'reject', reason: 'the event is not a JSON object' });
    expect(parseEvent({ detail: {} })).toEqual({ kind: 'reject', reason: 'detail-type is required' });
  });

  it('skips an event of the right detail-type from another source', () => {
    const event = loadEvent('fargate-stopped-succeeded');
    event.source = 'my.app';
    expect(parseEvent(event)).toMatchObject({ kind: 'skip', reason: 'not from ECS: source "my.app"' });
  });
});
