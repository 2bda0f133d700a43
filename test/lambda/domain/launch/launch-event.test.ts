import { describe, expect, it } from 'vitest';
import { launchSkipReason } from '../../../../lambda/domain/launch/launch-event.js';
import { launchCause } from '../../../../lambda/domain/launch/launch-report.js';
import { parseEvent } from '../../../../lambda/domain/report/parse-event.js';
import { loadEvent } from '../../../support/fixtures.js';

const ALL = { notifyOn: ['STOPPED' as const], ignoreGroups: [], events: ['launch' as const] };

function launchOf(name: string, change: (detail: Record<string, unknown>) => void = () => {}) {
  const event = loadEvent(`launch/${name}`);
  change(event.detail);
  const parsed = parseEvent(event, ALL);
  if (parsed.kind !== 'launch') throw new Error(`expected a launch, got ${JSON.stringify(parsed)}`);
  return parsed.launch;
}

describe('RunTask calls CloudTrail recorded', () => {
  it('reads the request (cluster ARN, task definition ARN) and the failures of the answer', () => {
    expect(launchOf('run-task-resource-memory')).toMatchObject({
      eventId: '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4',
      clusterName: 'batch-a',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-a',
      family: 'nightly-report',
      revision: 42,
      startedBy: 'events-rule/nightly',
      invokedBy: 'events.amazonaws.com',
      failed: true,
      failures: [{ reason: 'RESOURCE:MEMORY' }],
    });
  });

  it('makes the ARN of a cluster named by short name in the call’s account and region', () => {
    expect(launchOf('run-task-error')).toMatchObject({
      cluster: 'batch-a',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-a',
      errorCode: 'InvalidParameterException',
    });
  });

  it('takes a request that names no cluster as one for the default cluster', () => {
    const launch = launchOf('run-task-error', (d) => {
      delete (d.requestParameters as Record<string, unknown>).cluster;
    });

    expect(launch.clusterArn).toBe('arn:aws:ecs:eu-west-1:111122223333:cluster/default');
  });

  it('keeps the revision unknown when the request named the family alone, and the subnets it gave', () => {
    expect(launchOf('run-task-fargate-capacity')).toMatchObject({
      family: 'invoice-export',
      revision: null,
      subnets: ['subnet-0bbb2222'],
      capacityProviders: ['FARGATE_SPOT'],
      count: 2,
    });
  });

  it('skips a call that launched what it was asked to', () => {
    expect(launchSkipReason(launchOf('run-task-launched'))).toBe(
      'RunTask launched what it was asked to (no error, no failures)',
    );
  });

  it('counts a failure with a reason of any value as a failure, as the rule’s exists does', () => {
    const launch = launchOf('run-task-launched', (d) => {
      d.responseElements = { tasks: [], failures: [{ arn: 'x', reason: null }] };
    });

    expect(launchSkipReason(launch)).toBeUndefined();
  });

  it('skips another API call of ECS, naming it', () => {
    const event = loadEvent('launch/run-task-error');
    event.detail.eventName = 'StopTask';

    expect(parseEvent(event, ALL)).toEqual({
      kind: 'skip',
      reason: 'not a RunTask call: "ecs.amazonaws.com" "StopTask"',
    });
  });

  it('rejects a call whose request names no task definition, naming the field', () => {
    const event = loadEvent('launch/run-task-error');
    delete (event.detail.requestParameters as Record<string, unknown>).taskDefinition;

    expect(parseEvent(event, ALL)).toEqual({
      kind: 'reject',
      of: 'launch',
      reason: 'detail.requestParameters.taskDefinition is required',
    });
  });

  it('names the cause: the failures’ reason, counted; else the error and its message', () => {
    expect(launchCause(launchOf('run-task-resource-memory'))).toEqual({ core: 'RESOURCE:MEMORY' });
    expect(launchCause(launchOf('run-task-error'))).toEqual({
      core: 'InvalidParameterException',
      detail: 'No Container Instances were found in your cluster.',
    });
    const twice = launchOf('run-task-resource-memory', (d) => {
      const failure = { reason: 'RESOURCE:MEMORY' };
      d.responseElements = { tasks: [], failures: [failure, failure, { reason: 'RESOURCE:CPU' }] };
    });
    expect(launchCause(twice)).toEqual({ core: 'RESOURCE:MEMORY ×2, RESOURCE:CPU' });
  });
});
