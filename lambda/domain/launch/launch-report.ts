import { countBy } from '../collections.js';
import type { Cause } from '../message/failure-causes.js';
import { truncate } from '../message/slack-text.js';
import type { CrossCheck, Outcome, Source } from '../task/task.js';
import type { FailedLaunch } from './launch-event.js';

/** A RunTask call that launched nothing, as the message shows it. */
export interface LaunchReport {
  kind: 'launch';
  launch: FailedLaunch;
  source: Source;
  /** Always `failed`: a call that launched what it was asked is not reported. */
  outcome: Outcome;
  /** No task exists to check: `not-run`. */
  crossCheck: CrossCheck;
}

/**
 * Why nothing launched: the reasons of `failures[]`, most first, counted when there are several
 * (`RESOURCE:MEMORY ×2`), and the first's detail; else the error RunTask returned, its message as
 * the detail.
 */
export function launchCause(launch: FailedLaunch): Cause | undefined {
  const reasons = countBy(
    launch.failures.flatMap((f) => (f.reason ? [f.reason.replace(/\s+/g, ' ').trim()] : [])),
    (r) => r,
  );
  if (reasons.size > 0) {
    const ordered = [...reasons].sort((a, b) => b[1] - a[1]);
    const code = /^[A-Z][A-Z0-9_:]*$/.test(ordered[0]?.[0] ?? '');
    const named = ordered.map(([r, n]) => (n > 1 ? `${r} ×${n}` : r)).join(', ');
    const detail = launch.failures.find((f) => f.detail)?.detail;
    // A sentence (Fargate's "Capacity is unavailable at this time…") is kept short: it must fit.
    return { core: code ? named : truncate(named, 90), ...(detail ? { detail } : {}) };
  }
  if (launch.errorCode) {
    return { core: launch.errorCode, ...(launch.errorMessage ? { detail: launch.errorMessage } : {}) };
  }
  return undefined;
}
