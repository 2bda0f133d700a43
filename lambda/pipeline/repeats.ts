import pMap from 'p-map';
import type { RepeatLedger } from '../adapters/repeat-ledger.js';
import { groupBy } from '../domain/collections.js';
import { REPEAT_WINDOW_MS, repeatKey, windowStart } from '../domain/service/repeat-window.js';
import type { ServiceReport } from '../domain/service/service-report.js';
import type { Evaluation } from './evaluate.js';

/** Windows counted at once; the events of one window are counted in their order. */
const CONCURRENCY = 8;

/**
 * One message, then a count: of the ready service events sharing a service, an event name and an
 * hour, the first is sent and the others are skipped, naming the first (`repeat of
 * SERVICE_TASK_PLACEMENT_FAILURE notified at 07:12 UTC, 5th this hour`). The first of the next
 * hour says how many came since. An event whose count cannot be made goes on as if it were the
 * first.
 */
export async function holdRepeats(
  evaluations: readonly Evaluation[],
  ledger: RepeatLedger,
): Promise<Evaluation[]> {
  const out = [...evaluations];
  const services = evaluations.flatMap((e, index) =>
    e.status === 'ready' && e.report.kind === 'service' ? [{ index, report: e.report }] : [],
  );
  if (services.length === 0) return out;
  await pMap(
    groupBy(services, (s) => repeatKey(s.report.action)),
    async (group) => {
      for (const { index, report } of group) out[index] = await judge(report, ledger);
    },
    { concurrency: CONCURRENCY },
  );
  return out;
}

async function judge(report: ServiceReport, ledger: RepeatLedger): Promise<Evaluation> {
  const { action } = report;
  const member = action.eventId ?? action.time?.toISOString() ?? action.createdAt?.toISOString() ?? 'no id';
  const start = windowStart(action);
  try {
    const tally = await ledger.tally(repeatKey(action, start), member, action.time?.getTime());
    if (tally.first !== member) {
      const at =
        tally.firstAt === undefined ? '' : ` at ${new Date(tally.firstAt).toISOString().slice(11, 16)} UTC`;
      return {
        status: 'skipped',
        reason: `repeat of ${action.eventName} notified${at}, ${ordinal(tally.count)} this hour`,
        report,
      };
    }
    if (start === undefined) return { status: 'ready', report };
    const before = await ledger.peek(repeatKey(action, start - REPEAT_WINDOW_MS));
    if (!before || before.count < 2) return { status: 'ready', report };
    const since = before.firstAt === undefined ? {} : { since: new Date(before.firstAt) };
    return { status: 'ready', report: { ...report, repeats: { count: before.count - 1, ...since } } };
  } catch {
    // Counting only spares a channel repeats: the event goes on, and its claim (in the same
    // store) decides whether it is sent now or retried.
    return { status: 'ready', report };
  }
}

/** `1st`, `2nd`, `3rd`, `11th`, `22nd`. */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
