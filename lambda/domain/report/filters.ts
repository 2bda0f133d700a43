import type { NotifierConfig } from '../config/config.js';
import type { Outcome, Task } from '../task/task.js';

/**
 * Why a task should not be notified, or `undefined` when it should. The EventBridge rule lets in
 * every task this notifies (lib/event-pattern.ts), so replay agrees with production.
 */
export function filterTask(
  task: Pick<Task, 'lastStatus' | 'group'>,
  config: Pick<NotifierConfig, 'notifyOn' | 'ignoreGroups'>,
): string | undefined {
  if (!(config.notifyOn as readonly string[]).includes(task.lastStatus)) {
    return `lastStatus ${task.lastStatus} is not in notifyOn (${config.notifyOn.join(', ')})`;
  }
  const group = task.group;
  const ignored = group ? config.ignoreGroups.find((prefix) => group.startsWith(prefix)) : undefined;
  if (ignored) return `group ${JSON.stringify(group)} starts with ignored prefix ${JSON.stringify(ignored)}`;
  return undefined;
}

/** Why an outcome should not be notified, or `undefined`. */
export function filterOutcome(
  outcome: Outcome,
  config: Pick<NotifierConfig, 'outcomes'>,
): string | undefined {
  return config.outcomes.includes(outcome)
    ? undefined
    : `outcome ${outcome} is not in outcomes (${config.outcomes.join(', ')})`;
}
