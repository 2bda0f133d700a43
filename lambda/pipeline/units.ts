import { groupBy } from '../domain/collections.js';
import type { TaskReport } from '../domain/task.js';

/** One message to send and the events it answers for. */
export interface DeliveryUnit {
  /** Indexes of the events (in the batch) that this message notifies. */
  members: number[];
  reports: TaskReport[];
  digest: boolean;
}

/** A ready event: where it is in the batch, and its report. */
export type Ready = { index: number; report: TaskReport };

/** One source's plan: the stops going into its digest, and the families still sent one by one. */
interface SourcePlan {
  digest: Ready[];
  singles: Ready[][];
}

/**
 * Groups ready events into messages. More than `threshold` stops of one source and family in a
 * batch go into a digest, one per source (a section per family). When that still makes more than
 * `maxMessages`, more families join their source's digest, largest first, then whole sources, then
 * everything, so every event is in one of at most `maxMessages` messages.
 */
export function planUnits(
  ready: readonly Ready[],
  threshold: number,
  maxMessages = Number.POSITIVE_INFINITY,
): DeliveryUnit[] {
  const plans = groupBy(ready, (r) => r.report.source.label).map((items): SourcePlan => {
    const families = groupBy(items, (r) => r.report.task.family);
    return {
      digest: families.filter((f) => f.length > threshold).flat(),
      singles: families.filter((f) => f.length <= threshold),
    };
  });
  const count = () =>
    plans.reduce(
      (n, p) => n + (p.digest.length > 0 ? 1 : 0) + p.singles.reduce((m, f) => m + f.length, 0),
      0,
    );
  let messages = count();
  while (messages > maxMessages && joinLargestFamily(plans)) messages = count();
  // Whole sources next, those sending most first.
  for (const plan of [...plans].sort((a, b) => unitsOf(b) - unitsOf(a))) {
    if (messages <= maxMessages) break;
    const saved = unitsOf(plan) - 1;
    if (saved <= 0) continue;
    plan.digest.push(...plan.singles.flat());
    plan.singles = [];
    messages -= saved;
  }
  const units =
    messages > maxMessages
      ? [toUnit([...ready], true)]
      : plans.flatMap((p) => [
          ...(p.digest.length > 0 ? [toUnit(p.digest, true)] : []),
          ...p.singles.flat().map((r) => toUnit([r], false)),
        ]);
  return units.sort((a, b) => (a.members[0] ?? 0) - (b.members[0] ?? 0));
}

function unitsOf(plan: SourcePlan): number {
  return (plan.digest.length > 0 ? 1 : 0) + plan.singles.reduce((n, f) => n + f.length, 0);
}

/**
 * Moves the family whose joining saves most messages into its source's digest (a family of n
 * saves n into an existing digest, n - 1 into a new one). False when no move saves any.
 */
function joinLargestFamily(plans: SourcePlan[]): boolean {
  let best: { plan: SourcePlan; family: Ready[]; saves: number } | undefined;
  for (const plan of plans) {
    for (const family of plan.singles) {
      const saves = plan.digest.length > 0 ? family.length : family.length - 1;
      if (saves > 0 && (!best || saves > best.saves)) best = { plan, family, saves };
    }
  }
  if (!best) return false;
  const { plan, family } = best;
  plan.digest.push(...family);
  plan.singles = plan.singles.filter((f) => f !== family);
  return true;
}

function toUnit(items: Ready[], digest: boolean): DeliveryUnit {
  const sorted = [...items].sort((a, b) => a.index - b.index);
  return { members: sorted.map((i) => i.index), reports: sorted.map((i) => i.report), digest };
}
