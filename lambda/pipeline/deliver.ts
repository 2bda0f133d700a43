import type { Logger } from '@aws-lambda-powertools/logger';
import { type SentLedger, sentKey } from '../adapters/sent-ledger.js';
import { SlackDeliveryError, type SlackSender } from '../adapters/slack.js';
import { buildDigestMessage } from '../domain/digest-message.js';
import { buildPlainTextMessage, type SlackMessage } from '../domain/slack-message.js';
import type { Task, TaskReport } from '../domain/task.js';
import type { Evaluation } from './evaluate.js';
import { type DeliveryUnit, planUnits } from './units.js';

/** How one event ended: sent, skipped with a reason, rejected with the field named, or failed. */
export interface EventResult {
  status: 'notified' | 'skipped' | 'rejected' | 'failed';
  reason?: string;
  task?: Task;
  report?: TaskReport;
  /** The exact payload sent, or that would be sent in a dry run. */
  message?: SlackMessage;
  /** Failed, but worth retrying later (the record goes back to the queue). */
  retryable?: boolean;
  /** Sent as part of a digest message. */
  digest?: boolean;
  /** Which message answers for the event: the same number for every event of one message, unique in the process. */
  messageId?: number;
}

export type DecisionLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface DeliverOptions {
  /** Omitted: nothing is sent (dry run); ready events count as notified. */
  sender?: SlackSender;
  /** Which task stops were already notified; omitted, duplicates are only caught within a batch. */
  ledger?: SentLedger;
  /** More than this many stops of one source and family in a batch become one digest. */
  digestThreshold?: number;
  /** Epoch milliseconds after which no send starts or waits. */
  deadline?: number;
  logger?: DecisionLogger;
  now?: () => number;
}

/**
 * Sends what the evaluations call for: one message per task stop (or a digest), each claimed in
 * the ledger first and recorded as sent only once Slack accepted it. Every event gets a result.
 */
export async function deliverEvaluations(
  evaluations: readonly Evaluation[],
  options: DeliverOptions,
): Promise<EventResult[]> {
  const results: EventResult[] = evaluations.map((e) => (e.status === 'ready' ? { status: 'failed' } : e));
  const ready: { index: number; report: TaskReport; message: SlackMessage }[] = [];
  const seen = new Set<string>();
  for (const [index, e] of evaluations.entries()) {
    if (e.status !== 'ready') continue;
    const key = sentKey(e.report.task.taskArn, e.report.task.lastStatus);
    if (seen.has(key)) {
      results[index] = {
        status: 'skipped',
        reason: 'duplicate of an earlier event in this batch',
        report: e.report,
      };
      continue;
    }
    seen.add(key);
    ready.push({ index, report: e.report, message: e.message });
  }
  const singles = new Map(ready.map((r) => [r.index, r.message]));
  for (const unit of planUnits(ready, options.digestThreshold ?? Number.POSITIVE_INFINITY)) {
    const outcome = await deliverUnit(unit, singles, options);
    for (const [i, index] of unit.members.entries()) results[index] = outcome[i] as EventResult;
  }
  for (const result of results) logDecision(result, options.logger);
  return results;
}

async function deliverUnit(
  unit: DeliveryUnit,
  singles: Map<number, SlackMessage>,
  options: DeliverOptions,
): Promise<EventResult[]> {
  const now = options.now ?? Date.now;
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const base = (i: number): EventResult => ({
    status: 'failed',
    report: unit.reports[i] as TaskReport,
    ...(unit.digest ? { digest: true } : {}),
  });
  const out = unit.members.map((_, i) => base(i));
  if (now() >= deadline)
    return out.map((r) => ({ ...r, reason: 'out of time before sending', retryable: true }));

  const keys = unit.reports.map((r) => sentKey(r.task.taskArn, r.task.lastStatus));
  const claimed: number[] = [];
  for (const [i, key] of keys.entries()) {
    const claim = await claimKey(options.ledger, key, deadline - now());
    if (claim === 'claimed') claimed.push(i);
    else if (claim === 'done')
      out[i] = { ...base(i), status: 'skipped', reason: 'duplicate: this task stop was already notified' };
    else out[i] = { ...base(i), reason: claim, retryable: true };
  }
  if (claimed.length === 0) return out;

  const message = messageFor(unit, claimed, singles);
  const messageId = ++messageCount;
  try {
    const sent = options.sender
      ? await sendWithFallback(options.sender, message, unit, claimed, deadline)
      : message;
    for (const i of claimed) {
      await options.ledger?.complete(keys[i] as string).catch((error: Error) =>
        options.logger?.error('sent, but could not record it; a redelivery may repeat it', {
          key: keys[i],
          error: error.name,
        }),
      );
      out[i] = { ...base(i), status: 'notified', message: sent, messageId };
    }
  } catch (error) {
    if (!(error instanceof SlackDeliveryError)) throw error;
    for (const i of claimed) {
      await options.ledger?.release(keys[i] as string);
      out[i] = { ...base(i), reason: error.message, retryable: !error.permanent, message };
    }
  }
  return out;
}

/** Numbers the messages of this process, so results can say which events shared one. */
let messageCount = 0;

async function claimKey(ledger: SentLedger | undefined, key: string, remainingMs: number): Promise<string> {
  if (!ledger) return 'claimed';
  try {
    const claim = await ledger.claim(key, remainingMs);
    return claim === 'in-progress' ? 'another invocation is sending this notification' : claim;
  } catch (error) {
    return `idempotency store unavailable: ${(error as Error).name}`;
  }
}

/** The unit's message, rebuilt for the members actually claimed when some were duplicates. */
function messageFor(unit: DeliveryUnit, claimed: number[], singles: Map<number, SlackMessage>): SlackMessage {
  if (claimed.length === unit.members.length) return unit.message;
  if (claimed.length === 1) return singles.get(unit.members[claimed[0] as number] as number) ?? unit.message;
  return buildDigestMessage(claimed.map((i) => unit.reports[i] as TaskReport));
}

async function sendWithFallback(
  sender: SlackSender,
  message: SlackMessage,
  unit: DeliveryUnit,
  claimed: number[],
  deadline: number,
): Promise<SlackMessage> {
  try {
    await sender.send(message, { deadline });
    return message;
  } catch (error) {
    // invalid_payload may be our blocks, not the webhook: try the same facts as plain text once.
    if (!(error instanceof SlackDeliveryError) || error.code !== 'invalid_payload') throw error;
    const report = unit.reports[claimed[0] as number] as TaskReport;
    const plain = claimed.length === 1 ? buildPlainTextMessage(report) : { text: message.text };
    await sender.send(plain, { deadline });
    return plain;
  }
}

/** One structured line per decision, keyed for search; never the webhook URL. */
export function logDecision(result: EventResult, logger: DecisionLogger | undefined): void {
  if (!logger) return;
  const task = result.report?.task ?? result.task;
  const keys = {
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(task
      ? { taskArn: task.taskArn, family: task.family, revision: task.revision, lastStatus: task.lastStatus }
      : {}),
    ...(result.report
      ? {
          source: result.report.source.label,
          outcome: result.report.outcome,
          crossCheck: result.report.crossCheck.status,
        }
      : {}),
    ...(result.digest ? { digest: true } : {}),
  };
  if (result.status === 'failed') logger.error('task event not delivered', keys);
  else if (result.status === 'rejected') logger.warn('task event rejected', keys);
  else logger.info(result.status === 'notified' ? 'task event notified' : 'task event skipped', keys);
}
