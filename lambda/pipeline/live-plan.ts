import pMap from 'p-map';
import type { LiveLedger } from '../adapters/live-ledger.js';
import { digestKey } from '../domain/report/keys.js';
import type { Report } from '../domain/report/report.js';
import type { DeliveryUnit } from './units.js';

/** The live message a report counts in on a route: one per route, source and family. */
export function liveKey(route: string, report: Report): string {
  return `${route}\u0000${digestKey(report)}`;
}

/** The keys among `keys` whose live message's window is still open at `now`. */
export async function openLiveKeys(
  keys: Iterable<string>,
  live: LiveLedger,
  now: number,
  windowMs: number,
): Promise<Set<string>> {
  const open = await pMap(
    new Set(keys),
    async (key) => {
      const item = await live.read(key).catch(() => undefined);
      return item && now - item.startedAt < windowMs ? [key] : [];
    },
    { concurrency: 25 },
  );
  return new Set(open.flat());
}

/**
 * An app-mode route's units with storms made live: each family of a digest becomes its own live
 * unit (one message per route, source and family, updated in place), and so does any stop of a
 * family whose live message is still open; the other stops go as planned.
 */
export function liveUnits(
  units: readonly DeliveryUnit[],
  route: string,
  open: ReadonlySet<string>,
): DeliveryUnit[] {
  const live = new Map<string, DeliveryUnit>();
  const rest: DeliveryUnit[] = [];
  for (const unit of units) {
    for (const [i, report] of unit.reports.entries()) {
      const key = liveKey(route, report);
      if (!unit.digest && !open.has(key)) {
        rest.push(unit);
        break;
      }
      const into = live.get(key) ?? { members: [], reports: [], digest: true, live: key };
      into.members.push(unit.members[i] as number);
      into.reports.push(report);
      live.set(key, into);
    }
  }
  return [...rest, ...live.values()].sort((a, b) => (a.members[0] ?? 0) - (b.members[0] ?? 0));
}
