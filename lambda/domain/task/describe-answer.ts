import type { DescribeResult } from '../report/cross-check.js';
import { taskFromEcs } from './task-from-ecs.js';

/** Reads `tasks[]` and `failures[]` of a DescribeTasks answer (SDK, wire or saved CLI output). */
export function readAnswer(
  answer: { tasks?: unknown[]; failures?: unknown[] },
  into: Map<string, DescribeResult>,
): void {
  for (const [index, raw] of (answer.tasks ?? []).entries()) {
    const task = taskFromEcs(raw, `tasks[${index}]`);
    into.set(task.taskArn, { kind: 'found', task });
  }
  for (const failure of answer.failures ?? []) {
    const { arn, reason } = (failure ?? {}) as { arn?: unknown; reason?: unknown };
    if (typeof arn !== 'string') continue;
    const why = typeof reason === 'string' ? reason : 'unknown failure';
    into.set(
      arn,
      why === 'MISSING' ? { kind: 'missing', reason: why } : { kind: 'unavailable', reason: why },
    );
  }
}
