import { groupBy } from '../domain/collections.js';
import { digestKey } from '../domain/report/keys.js';
import type { Report } from '../domain/report/report.js';

/** One message to send and the events it answers for. */
export interface DeliveryUnit {
  /** Indexes of the events (in the batch) that this message notifies. */
  members: number[];
  reports: Report[];
  digest: boolean;
  /** App mode: the live message (route, source and family) this unit counts in, updated in place. */
  live?: string;
}

/** A ready event: where it is in the batch, and its report. */
export type Ready = { index: number; report: Report };

/**
 * Groups ready events into messages. Every family (a task definition's, a service's, a Batch job's)
 * of a source with more than `threshold` events in the batch goes into one digest (a section per
 * source and family): a storm of thousands of stops is one message per invocation, not one per family. The other stops go one message each, unless
 * there are more than `threshold` of them beside a digest (then they join it), or that makes more
 * than `maxMessages`: then the largest families join the digest first, until every event is in one
 * of at most `maxMessages` messages.
 */
export function planUnits(
  ready: readonly Ready[],
  threshold: number,
  maxMessages = Number.POSITIVE_INFINITY,
): DeliveryUnit[] {
  const families = groupBy(ready, (r) => digestKey(r.report));
  const digest = families.filter((f) => f.length > threshold).flat();
  // Largest families first: each one joining the digest saves the most messages.
  let singles = families.filter((f) => f.length <= threshold).sort((a, b) => b.length - a.length);
  // A batch busy enough for a digest sends no flood of single messages beside it: they join it.
  if (digest.length > 0 && singles.flat().length > threshold) {
    digest.push(...singles.flat());
    singles = [];
  }
  let singleCount = singles.reduce((n, f) => n + f.length, 0);
  while ((digest.length > 0 ? 1 : 0) + singleCount > maxMessages && singles.length > 0) {
    const family = singles.shift() as Ready[];
    digest.push(...family);
    singleCount -= family.length;
  }
  const units = [
    ...(digest.length > 1 ? [toUnit(digest, true)] : digest.map((r) => toUnit([r], false))),
    ...singles.flat().map((r) => toUnit([r], false)),
  ];
  return units.sort((a, b) => (a.members[0] ?? 0) - (b.members[0] ?? 0));
}

function toUnit(items: Ready[], digest: boolean): DeliveryUnit {
  const sorted = [...items].sort((a, b) => a.index - b.index);
  return { members: sorted.map((i) => i.index), reports: sorted.map((i) => i.report), digest };
}
