import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../../lambda/domain/report/parse-event.js';
import { serviceSkipReason } from '../../../../lambda/domain/service/service-event.js';
import { loadEvent } from '../../../support/fixtures.js';

const ALL = { notifyOn: ['STOPPED' as const], ignoreGroups: [], events: ['service' as const] };

function actionOf(name: string, change: (event: Record<string, unknown>) => void = () => {}) {
  const event = loadEvent(`service/${name}`);
  change(event);
  const parsed = parseEvent(event, ALL);
  if (parsed.kind !== 'service') throw new Error(`expected a service event, got ${JSON.stringify(parsed)}`);
  return parsed.action;
}

describe('ECS Service Action events', () => {
  it('reads the service from resources[0], its cluster from the ARN, and the reason ECS gave', () => {
    const action = actionOf('placement-failure-memory');

    expect(action).toMatchObject({
      eventId: '7c41f0e2-0a9b-4c3e-9f1d-2b6a8e5d3c10',
      eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
      eventType: 'ERROR',
      reason: 'RESOURCE:MEMORY',
      containerInstances: ['5e0c7a3f9b2d4e6f8a1c3b5d7e9f0a2b'],
      service: {
        serviceName: 'web',
        clusterName: 'batch-b',
        clusterArn: 'arn:aws:ecs:us-east-2:444455556666:cluster/batch-b',
        account: '444455556666',
        region: 'us-east-2',
      },
    });
  });

  it('keeps createdAt (weeks before, as ECS repeats it) apart from the time the event was sent', () => {
    const action = actionOf('placement-failure-memory');

    expect(action.createdAt?.toISOString()).toBe('2025-01-28T03:40:17.204Z');
    expect(action.time?.toISOString()).toBe('2025-02-10T07:12:41.000Z');
  });

  it('names capacity providers by their name', () => {
    expect(actionOf('placement-failure-fargate-spot').capacityProviders).toEqual(['FARGATE_SPOT']);
  });

  it('reads an old-format service ARN, which names no cluster, by the detail clusterArn', () => {
    const action = actionOf('start-impaired', (e) => {
      e.resources = ['arn:aws:ecs:us-east-2:444455556666:service/web'];
    });

    expect(action.service).toMatchObject({ serviceName: 'web', clusterName: 'batch-b' });
  });

  it('rejects an old-format service ARN without a clusterArn, naming the field', () => {
    const event = loadEvent('service/start-impaired');
    event.resources = ['arn:aws:ecs:us-east-2:444455556666:service/web'];
    delete event.detail.clusterArn;

    expect(parseEvent(event, ALL)).toEqual({
      kind: 'reject',
      of: 'service',
      reason: 'detail.clusterArn is required: the service ARN in resources[0] names no cluster',
    });
  });

  it.each([
    ['resources', undefined, 'resources is required'],
    ['resources', [], "resources must name the service's ARN"],
    [
      'resources',
      ['arn:aws:ecs:us-east-2:444455556666:task/batch-b/0f1e'],
      'resources[0] expected a service ARN',
    ],
  ])('rejects %s %j, naming it', (field, value, reason) => {
    const event = loadEvent('service/start-impaired');
    event[field] = value;
    const parsed = parseEvent(event, ALL);

    expect(parsed.kind).toBe('reject');
    expect('reason' in parsed && parsed.reason).toMatch(new RegExp(`^${reason.replace(/[[\]]/g, '\\$&')}`));
  });

  it('rejects an event without eventName, naming it', () => {
    const event = loadEvent('service/steady-state');
    delete event.detail.eventName;

    expect(parseEvent(event, ALL)).toMatchObject({ kind: 'reject', reason: 'detail.eventName is required' });
  });

  it('notifies the failures to start or place tasks, and says why the others are not', () => {
    expect(serviceSkipReason({ eventName: 'SERVICE_TASK_PLACEMENT_FAILURE' })).toBeUndefined();
    expect(serviceSkipReason({ eventName: 'SERVICE_TASK_START_IMPAIRED' })).toBeUndefined();
    expect(serviceSkipReason({ eventName: 'SERVICE_TASK_CONFIGURATION_FAILURE' })).toBeUndefined();
    expect(serviceSkipReason({ eventName: 'SERVICE_STEADY_STATE' })).toBe(
      'SERVICE_STEADY_STATE is not notified (service events: SERVICE_TASK_START_IMPAIRED, SERVICE_TASK_PLACEMENT_FAILURE, SERVICE_TASK_CONFIGURATION_FAILURE)',
    );
  });

  it('skips a service event when "service" is not in events, saying so', () => {
    expect(parseEvent(loadEvent('service/start-impaired'), { ...ALL, events: ['task'] })).toEqual({
      kind: 'skip',
      reason: 'a service event: "service" is not in events (task)',
    });
  });
});
