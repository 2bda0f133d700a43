import { describe, expect, it } from 'vitest';
import { deploymentSkipReason, isRollback } from '../../../../lambda/domain/deployment/deployment-event.js';
import { parseEvent } from '../../../../lambda/domain/report/parse-event.js';
import { loadEvent } from '../../../support/fixtures.js';

const ALL = { notifyOn: ['STOPPED' as const], ignoreGroups: [], events: ['deployment' as const] };

function changeOf(name: string) {
  const parsed = parseEvent(loadEvent(`deployment/${name}`), ALL);
  if (parsed.kind !== 'deployment') throw new Error(`expected a deployment, got ${JSON.stringify(parsed)}`);
  return parsed.change;
}

describe('ECS Deployment State Change events', () => {
  it('reads an event without clusterArn: the service ARN in resources names the cluster', () => {
    expect(changeOf('failed-circuit-breaker')).toMatchObject({
      eventName: 'SERVICE_DEPLOYMENT_FAILED',
      deploymentId: 'ecs-svc/4471091638524190273',
      reason: 'ECS deployment circuit breaker: tasks failed to start.',
      service: { serviceName: 'web', clusterName: 'batch-b', region: 'us-east-2' },
    });
  });

  it('takes an event ID that is not a UUID and updatedAt without milliseconds as they are', () => {
    const change = changeOf('in-progress');

    expect(change.eventId).toBe('6d5c4b3a-2f1e-4c0b-9a8d-f7e6a5c4EXAMPLE');
    expect(change.updatedAt?.toISOString()).toBe('2025-02-10T09:58:11.000Z');
  });

  it('tells a rollback from a deployment starting by its reason', () => {
    expect(isRollback(changeOf('rollback-in-progress'))).toBe(true);
    expect(isRollback(changeOf('in-progress'))).toBe(false);
  });

  it('notifies failures and rollbacks, and says why a start or a completion is not', () => {
    expect(deploymentSkipReason(changeOf('failed-circuit-breaker'))).toBeUndefined();
    expect(deploymentSkipReason(changeOf('rollback-in-progress'))).toBeUndefined();
    expect(deploymentSkipReason(changeOf('in-progress'))).toBe(
      'SERVICE_DEPLOYMENT_IN_PROGRESS is not notified unless it rolls back',
    );
    expect(deploymentSkipReason(changeOf('completed'))).toBe(
      'SERVICE_DEPLOYMENT_COMPLETED is not notified (deployment events: SERVICE_DEPLOYMENT_FAILED, and rollbacks)',
    );
  });

  it('rejects an event without deploymentId, naming it', () => {
    const event = loadEvent('deployment/failed-circuit-breaker');
    delete event.detail.deploymentId;

    expect(parseEvent(event, ALL)).toEqual({
      kind: 'reject',
      of: 'deployment',
      reason: 'detail.deploymentId is required',
    });
  });
});
