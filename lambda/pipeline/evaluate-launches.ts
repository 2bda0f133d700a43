import type { FailedLaunch } from '../domain/launch/launch-event.js';
import type { LaunchReport } from '../domain/launch/launch-report.js';
import { filterOutcome } from '../domain/report/filters.js';
import { resolveSourceOrNote } from '../domain/report/source.js';
import type { Source } from '../domain/task/task.js';
import type { EvaluateDeps, Evaluation } from './evaluate.js';

/**
 * RunTask calls that launched nothing: no task exists, so nothing is cross-checked; the source is
 * told by the cluster and the subnets the request gave its tasks.
 */
export async function evaluateLaunches(
  launches: readonly FailedLaunch[],
  deps: EvaluateDeps,
  unreadable: (error: unknown) => Evaluation,
): Promise<Evaluation[]> {
  return Promise.all(
    launches.map(async (launch) => {
      try {
        const source = await resolveSourceOrNote(
          { ...launch, ...(launch.subnets[0] ? { subnetId: launch.subnets[0] } : {}) },
          deps.config,
          deps.lookupVpc,
        );
        const report = launchReport(launch, source);
        const skip = filterOutcome(report.outcome, deps.config);
        return skip ? { status: 'skipped', reason: skip, report } : { status: 'ready', report };
      } catch (error) {
        return unreadable(error);
      }
    }),
  );
}

export function launchReport(launch: FailedLaunch, source: Source): LaunchReport {
  return { kind: 'launch', launch, source, outcome: 'failed', crossCheck: { status: 'not-run' } };
}
