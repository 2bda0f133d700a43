import { describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../../../lambda/domain/config/config.js';
import { matches, unreachableReason } from '../../../../lambda/domain/delivery/routes.js';
import { kindReport } from '../../../support/kind-reports.js';
import { reportFrom } from '../../../support/reports.js';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack/x-AbCdEf';

function route(match: Record<string, unknown>) {
  const config = parseNotifierConfig({ routes: [{ name: 'r', match, webhookSecretArn: SECRET }] });
  return config.routes[0] as (typeof config.routes)[number];
}

describe('routes on kinds of event', () => {
  it('take the kinds they list, and only those', async () => {
    const batchOnly = route({ kinds: ['batch', 'launch'] });

    expect(matches(batchOnly, await kindReport('batch/failed-host-terminated'))).toBe(true);
    expect(matches(batchOnly, await kindReport('launch/run-task-error'))).toBe(true);
    expect(matches(batchOnly, await kindReport('service/start-impaired'))).toBe(false);
    expect(matches(batchOnly, reportFrom('ec2-stopped-failed'))).toBe(false);
  });

  it('match families on the subject: a Batch job’s job definition, a service’s task definition', async () => {
    const nightly = route({ families: ['nightly-*'] });

    expect(matches(nightly, await kindReport('batch/failed-host-terminated'))).toBe(true);
    expect(matches(nightly, await kindReport('launch/run-task-resource-memory'))).toBe(true);
    expect(matches(route({ families: ['web'] }), await kindReport('service/start-impaired'))).toBe(true);
    // Without DescribeServices the family is unknown: a families route cannot take it.
    expect(
      matches(route({ families: ['web'] }), await kindReport('service/start-impaired', { checked: false })),
    ).toBe(false);
  });

  it('match statuses on the event’s own: a service event’s name, a job’s status', async () => {
    expect(
      matches(
        route({ statuses: ['SERVICE_TASK_START_IMPAIRED'] }),
        await kindReport('service/start-impaired'),
      ),
    ).toBe(true);
    expect(matches(route({ statuses: ['FAILED'] }), await kindReport('batch/failed-exit-code'))).toBe(true);
    expect(matches(route({ statuses: ['STOPPED'] }), await kindReport('batch/failed-exit-code'))).toBe(false);
  });
});

describe('a route nothing can reach', () => {
  const notified = { outcomes: parseNotifierConfig({}).outcomes, notifyOn: ['STOPPED' as const] };

  it('is one whose kinds are not in events', () => {
    expect(unreachableReason(route({ kinds: ['batch'] }), { ...notified, events: ['task', 'service'] })).toBe(
      'its kinds (batch) are not in events (task, service)',
    );
  });

  it('is one whose statuses none of its kinds notify', () => {
    expect(
      unreachableReason(route({ kinds: ['service'], statuses: ['SERVICE_STEADY_STATE'] }), {
        ...notified,
        events: ['service'],
      }),
    ).toBe('its statuses (SERVICE_STEADY_STATE) are none that service events notify');
    expect(
      unreachableReason(route({ statuses: ['SERVICE_TASK_START_IMPAIRED'] }), {
        ...notified,
        events: ['task', 'service'],
      }),
    ).toBeUndefined();
  });

  it('is one wanting successes of kinds that notify failures only', () => {
    expect(
      unreachableReason(route({ kinds: ['batch'], outcomes: ['succeeded'] }), {
        ...notified,
        events: ['batch'],
      }),
    ).toBe('its outcomes (succeeded) are none that batch events have');
  });
});
