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

/**
 * Groups ready events into messages: one per task, except that more than `threshold` stops of
 * one source and family in a batch become a single digest.
 */
export function planUnits(
  ready: readonly { index: number; report: TaskReport; message: SlackMessage }[],
  threshold: number,
): DeliveryUnit[] {
  const groups = new Map<string, (typeof ready)[number][]>();
  for (const item of ready) {
    const key = `${item.report.source.label}\u0000${item.report.task.family}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const units: DeliveryUnit[] = [];
  for (const group of groups.values()) {
    if (group.length > threshold) {
      units.push({
        members: group.map((g) => g.index),
        reports: group.map((g) => g.report),
        message: buildDigestMessage(group.map((g) => g.report)),
        digest: true,
      });
    } else {
      for (const g of group)
        units.push({ members: [g.index], reports: [g.report], message: g.message, digest: false });
    }
  }
  return units.sort((a, b) => (a.members[0] ?? 0) - (b.members[0] ?? 0));
}
