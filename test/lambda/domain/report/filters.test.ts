import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../lambda/domain/config/config.js';
import { filterOutcome, filterTask } from '../../../../lambda/domain/report/filters.js';
import { OUTCOMES } from '../../../../lambda/domain/task/task.js';
import { taskFrom } from '../../../support/reports.js';

const STOPPED = { notifyOn: ['STOPPED' as const], ignoreGroups: [] };

function taskInGroup(group: string | undefined) {
  return taskFrom('ec2-stopped-failed', { group });
}

describe('filterTask', () => {
  it('notifies a task whose lastStatus is in notifyOn', () => {
    expect(filterTask(taskInGroup('family:import'), STOPPED)).toBeUndefined();
  });

  it('skips a task whose lastStatus is not in notifyOn, naming both', () => {
    const task = taskFrom('ec2-stopped-failed', { lastStatus: 'RUNNING' });

    expect(filterTask(task, STOPPED)).toBe('lastStatus RUNNING is not in notifyOn (STOPPED)');
  });

  describe('with ignoreGroups', () => {
    const ignoring = (...ignoreGroups: string[]) => ({ ...STOPPED, ignoreGroups });

    it('skips a task whose group starts with an ignored prefix, naming the group and the prefix', () => {
      expect(filterTask(taskInGroup('service:web'), ignoring('service:'))).toBe(
        'group "service:web" starts with ignored prefix "service:"',
      );
    });

    it('skips a task whose group is the ignored prefix itself', () => {
      expect(filterTask(taskInGroup('service:'), ignoring('service:'))).toBeDefined();
    });

    it('notifies a task whose group only contains an ignored prefix further in', () => {
      expect(filterTask(taskInGroup('my-service:web'), ignoring('service:'))).toBeUndefined();
      expect(filterTask(taskInGroup('family:service:'), ignoring('service:'))).toBeUndefined();
    });

    it('is case-sensitive, as EventBridge prefix matching is', () => {
      expect(filterTask(taskInGroup('Service:web'), ignoring('service:'))).toBeUndefined();
    });

    it('skips a task whose group starts with any of several prefixes, naming the one it starts with', () => {
      const config = ignoring('service:', 'family:warmup');

      expect(filterTask(taskInGroup('service:web'), config)).toBe(
        'group "service:web" starts with ignored prefix "service:"',
      );
      expect(filterTask(taskInGroup('family:warmup-7'), config)).toBe(
        'group "family:warmup-7" starts with ignored prefix "family:warmup"',
      );
    });

    it('notifies a task whose group starts with none of several prefixes', () => {
      expect(filterTask(taskInGroup('family:import'), ignoring('service:', 'family:warmup'))).toBeUndefined();
    });

    it('notifies a task with no group', () => {
      expect(filterTask(taskInGroup(undefined), ignoring('service:', 'family:warmup'))).toBeUndefined();
    });

    it('checks notifyOn first: a task in the wrong status is skipped for its status, whatever its group', () => {
      const task = taskFrom('ec2-stopped-failed', { lastStatus: 'RUNNING', group: 'service:web' });

      expect(filterTask(task, ignoring('service:'))).toBe('lastStatus RUNNING is not in notifyOn (STOPPED)');
    });
  });
});

describe('filterOutcome', () => {
  it.each(OUTCOMES)('notifies %s when outcomes lists it', (outcome) => {
    expect(filterOutcome(outcome, { outcomes: [outcome] })).toBeUndefined();
  });

  it.each(OUTCOMES)(
    'skips %s when outcomes lists only the others, naming the outcome and the list',
    (outcome) => {
      const others = OUTCOMES.filter((o) => o !== outcome);

      expect(filterOutcome(outcome, { outcomes: others })).toBe(
        `outcome ${outcome} is not in outcomes (${others.join(', ')})`,
      );
    },
  );

  it('notifies every outcome by default', () => {
    expect(OUTCOMES.map((outcome) => filterOutcome(outcome, DEFAULT_CONFIG))).toEqual(
      OUTCOMES.map(() => undefined),
    );
  });
});
