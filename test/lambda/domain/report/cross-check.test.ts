import { describe, expect, it } from 'vitest';
import { crossCheckTask } from '../../../../lambda/domain/report/cross-check.js';
import { taskFrom } from '../../../support/reports.js';

describe('crossCheckTask', () => {
  it('confirms when DescribeTasks names the same family and revision, and adds tags and capacity provider', () => {
    const event = taskFrom('fargate-stopped-succeeded');
    const described = { ...event, tags: { team: 'data' }, capacityProviderName: 'FARGATE_SPOT' };
    const { task, crossCheck } = crossCheckTask(event, { kind: 'found', task: described });
    expect(crossCheck).toEqual({
      status: 'confirmed',
      described: { family: 'nightly-report', revision: 42 },
    });
    expect(task.tags).toEqual({ team: 'data' });
    expect(task.capacityProviderName).toBe('FARGATE_SPOT');
  });

  it('reports a mismatch naming both family:revision values', () => {
    const event = taskFrom('fargate-stopped-succeeded');
    const { crossCheck } = crossCheckTask(event, { kind: 'found', task: { ...event, revision: 43 } });
    expect(crossCheck).toMatchObject({
      status: 'mismatch',
      detail: 'DescribeTasks names nightly-report:43, the event nightly-report:42',
    });
  });

  it('fills the stop reason and exit codes from DescribeTasks when the event has none', () => {
    const event = taskFrom('fargate-stopped-succeeded', {
      stoppedReason: undefined,
      containers: [{ name: 'report', exitCode: null }],
    });
    const described = taskFrom('fargate-stopped-succeeded', {
      containers: [{ name: 'report', exitCode: 3, reason: 'bad input' }],
    });
    const { task } = crossCheckTask(event, { kind: 'found', task: described });
    expect(task.stoppedReason).toBe('Essential container in task exited');
    expect(task.containers).toEqual([{ name: 'report', exitCode: 3, reason: 'bad input' }]);
  });

  it('agrees with any revision of the same family when the event has no revision', () => {
    const event = taskFrom('no-revision-stopped');
    const { crossCheck } = crossCheckTask(event, { kind: 'found', task: { ...event, revision: 5 } });
    expect(crossCheck.status).toBe('confirmed');
  });

  it('passes missing, unavailable and not-run through unchanged', () => {
    const event = taskFrom('fargate-stopped-succeeded');
    expect(crossCheckTask(event, { kind: 'missing', reason: 'MISSING' }).crossCheck.status).toBe('missing');
    expect(crossCheckTask(event, { kind: 'unavailable', reason: 'ThrottlingException' }).crossCheck).toEqual({
      status: 'unavailable',
      detail: 'ThrottlingException',
    });
    expect(crossCheckTask(event, { kind: 'not-run' })).toEqual({
      task: event,
      crossCheck: { status: 'not-run' },
    });
  });
});
