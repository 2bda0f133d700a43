import { describe, expect, it } from 'vitest';
import { classifyOutcome, taskDurationMs } from '../../../../lambda/domain/report/outcome.js';
import { taskFrom as task } from '../../../support/reports.js';

describe('classifyOutcome', () => {
  it('calls a task whose essential container exited and every container exited 0 succeeded', () => {
    expect(classifyOutcome(task('fargate-stopped-succeeded'))).toBe('succeeded');
  });

  it('calls a non-zero exit code failed', () => {
    expect(classifyOutcome(task('ec2-stopped-failed'))).toBe('failed');
  });

  it('calls a missing exit code under EssentialContainerExited failed', () => {
    const t = task('fargate-stopped-succeeded');
    expect(classifyOutcome({ ...t, containers: [{ name: 'report', exitCode: null }] })).toBe('failed');
  });

  it('calls TaskFailedToStart failed', () => {
    expect(classifyOutcome(task('us-gov-failed-to-start'))).toBe('failed');
  });

  it('calls an out-of-memory kill failed whatever the stop code', () => {
    const t = task('aws-cn-scheduler-stopped');
    const oom = {
      ...t,
      containers: [
        { name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      ],
    };
    expect(classifyOutcome(oom)).toBe('failed');
  });

  it.each(['UserInitiated', 'ServiceSchedulerInitiated', 'SpotInterruption', 'TerminationNotice'])(
    'calls a %s stop stopped',
    (stopCode) => {
      expect(
        classifyOutcome(task('aws-cn-scheduler-stopped', { stopCode, stoppedReason: 'by request' })),
      ).toBe('stopped');
    },
  );

  it('calls a scheduler stop for failed health checks failed', () => {
    const t = task('aws-cn-scheduler-stopped', {
      stoppedReason: 'Task failed ELB health checks in (target-group …)',
    });
    expect(classifyOutcome(t)).toBe('failed');
  });

  it('calls any status other than STOPPED in-progress, even with a stop code', () => {
    expect(classifyOutcome(task('deprovisioning-with-stopcode'))).toBe('in-progress');
    expect(classifyOutcome(task('oldarn-running-no-launchtype'))).toBe('in-progress');
  });
});

describe('taskDurationMs', () => {
  it('measures from startedAt to stoppedAt', () => {
    expect(taskDurationMs(task('fargate-stopped-succeeded'))).toBe(610_413);
  });

  it('falls back to createdAt when the task never started', () => {
    expect(taskDurationMs(task('us-gov-failed-to-start'))).toBe(60_000);
  });

  it('is null until the task has stopped', () => {
    expect(taskDurationMs(task('deprovisioning-with-stopcode'))).toBeNull();
  });
});
