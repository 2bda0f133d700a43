import { classifyOutcome, taskDurationMs } from '../../lambda/domain/report/outcome.js';
import { parseEvent } from '../../lambda/domain/report/parse-event.js';
import type { CrossCheck, Source, Task, TaskReport } from '../../lambda/domain/task/task.js';
import { loadEvent } from './fixtures.js';

/** The task of an event fixture, with changes applied. */
export function taskFrom(name: string, change: Partial<Task> = {}): Task {
  const parsed = parseEvent(loadEvent(name));
  if (parsed.kind !== 'task')
    throw new Error(`fixture ${name}: ${'reason' in parsed ? parsed.reason : parsed.kind}`);
  return { ...parsed.task, ...change };
}

/** A report as the pipeline would build it for an event fixture. */
export function reportFrom(
  name: string,
  change: Partial<Task> = {},
  extra: { source?: Source; crossCheck?: CrossCheck } = {},
): TaskReport {
  const task = taskFrom(name, change);
  return {
    kind: 'task',
    task,
    source: extra.source ?? { label: 'batch (vpc-a)', configured: true, vpcId: 'vpc-0a1b2c3d' },
    outcome: classifyOutcome(task),
    crossCheck: extra.crossCheck ?? {
      status: 'confirmed',
      described: { family: task.family, revision: task.revision },
    },
    durationMs: taskDurationMs(task),
  };
}
