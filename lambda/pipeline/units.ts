import { buildDigestMessage } from '../domain/digest-message.js';
import type { SlackMessage } from '../domain/slack-message.js';
import type { TaskReport } from '../domain/task.js';

/** One message to send and the events it answers for. */
export interface DeliveryUnit {
  /** Indexes of the events (in the batch) that this message notifies. */
  members: number[];
  reports: TaskReport[];
  message: SlackMessage;
  digest: boolean;
}

type Ready = { index: number; report: TaskReport; message: SlackMessage };

/**
 * Groups ready events into messages: one per task, except that more than `threshold` stops of
 * one source and family in a batch become a single digest. When that still makes more than
 * `maxMessages`, the largest groups are digested next, then whole sources, then everything, so
 * every event is in one of at most `maxMessages` messages.
 */
export function planUnits(
  ready: readonly Ready[],
  threshold: number,
  maxMessages = Number.POSITIVE_INFINITY,
): DeliveryUnit[] {
  const groups = groupBy(ready, (r) => `${r.report.source.label}\u0000${r.report.task.family}`);
  const digested = new Set(groups.filter((g) => g.length > threshold));
  let count = groups.reduce((n, g) => n + (digested.has(g) ? 1 : g.length), 0);
  for (const group of [...groups].sort((a, b) => b.length - a.length)) {
    if (count <= maxMessages) break;
    if (digested.has(group) || group.length < 2) continue;
    digested.add(group);
    count -= group.length - 1;
  }
  let buckets = groups.flatMap((g) => (digested.has(g) ? [{ items: g, digest: true }] : g.map(single)));
  if (buckets.length > maxMessages) buckets = foldSources(buckets, maxMessages);
  if (buckets.length > maxMessages) buckets = [{ items: [...ready], digest: true }];
  return buckets
    .map((b) => toUnit(b.items, b.digest))
    .sort((a, b) => (a.members[0] ?? 0) - (b.members[0] ?? 0));
}

type Bucket = { items: Ready[]; digest: boolean };

function single(item: Ready): Bucket {
  return { items: [item], digest: false };
}

/** Merges each source's messages into one digest, the sources with most messages first. */
function foldSources(buckets: Bucket[], maxMessages: number): Bucket[] {
  const bySource = groupBy(buckets, (b) => b.items[0]?.report.source.label ?? '');
  let count = buckets.length;
  const folded = new Set<Bucket[]>();
  for (const source of [...bySource].sort((a, b) => b.length - a.length)) {
    if (count <= maxMessages) break;
    if (source.length < 2) continue;
    folded.add(source);
    count -= source.length - 1;
  }
  return bySource.flatMap((source) =>
    folded.has(source) ? [{ items: source.flatMap((b) => b.items), digest: true }] : source,
  );
}

function toUnit(items: Ready[], digest: boolean): DeliveryUnit {
  const sorted = [...items].sort((a, b) => a.index - b.index);
  const reports = sorted.map((i) => i.report);
  return {
    members: sorted.map((i) => i.index),
    reports,
    message: digest ? buildDigestMessage(reports) : (sorted[0] as Ready).message,
    digest,
  };
}

/** Groups in first-seen order. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}
