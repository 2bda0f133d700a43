import type { Logger } from '@aws-lambda-powertools/logger';
import pMap from 'p-map';
import { type SentLedger, sentKey } from '../adapters/sent-ledger.js';
import { SlackDeliveryError, type SlackSender } from '../adapters/slack.js';
import { buildDigestMessage } from '../domain/digest-message.js';
import { buildPlainTextMessage, buildSlackMessage, type SlackMessage } from '../domain/slack-message.js';
import type { Task, TaskReport } from '../domain/task.js';
import { claimMember } from './claims.js';
import type { Evaluation } from './evaluate.js';
import { type DeliveryUnit, planUnits, type Ready } from './units.js';

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
  /** Sent, but Slack never answered: the message may or may not have arrived. */
  unconfirmed?: boolean;
}

export type DecisionLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * Adds to reports what only a message shown in full needs (say, the task definition's log
 * streams and a failed container's last log lines), by `deadline`; never throws, never drops one.
 */
export type ReportEnricher = (reports: TaskReport[], deadline: number) => Promise<TaskReport[]>;

export interface DeliverOptions {
  /** Applied once per batch to the reports sent one per message (never to digests). */
  enrich?: ReportEnricher;
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

/** The last send starts this long before the deadline, so its answer can arrive in time. */
export const SEND_ALLOWANCE_MS = 1000;

/**
 * Sends what the evaluations call for: one message per task stop, or digests where stops of one
 * source and family pile up or where the webhook's pace leaves too few sends before the deadline.
 * Each member is claimed in the ledger first and recorded as sent only once Slack accepted it.
 * Every event gets a result.
 */
export async function deliverEvaluations(
  evaluations: readonly Evaluation[],
  options: DeliverOptions,
): Promise<EventResult[]> {
  const results: EventResult[] = evaluations.map((e) => (e.status === 'ready' ? { status: 'failed' } : e));
  const ready: Ready[] = [];
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
    ready.push({ index, report: e.report });
  }
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  // Never plan more messages than the pace lets start before the deadline: the rest would go
  // back to the queue, spending a receive each time, and pacing alone could push them to the DLQ.
  const budget =
    options.sender && Number.isFinite(deadline)
      ? Math.max(1, options.sender.capacityUntil(deadline - SEND_ALLOWANCE_MS))
      : Number.POSITIVE_INFINITY;
  const units = planUnits(ready, options.digestThreshold ?? Number.POSITIVE_INFINITY, budget);
  if (options.enrich) await enrichSingles(units, options.enrich, deadline);
  for (const unit of units) {
    const outcome = await deliverUnit(unit, options);
    for (const [i, index] of unit.members.entries()) results[index] = outcome[i] as EventResult;
  }
  for (const result of results) logDecision(result, options.logger);
  return results;
}

/** Enriches the reports of the units sent one per message, all in one call. */
async function enrichSingles(units: DeliveryUnit[], enrich: ReportEnricher, deadline: number): Promise<void> {
  const singles = units.filter((u) => !u.digest);
  if (singles.length === 0) return;
  const enriched = await enrich(
    singles.map((u) => u.reports[0] as TaskReport),
    deadline,
  );
  for (const [i, unit] of singles.entries()) unit.reports[0] = enriched[i] ?? (unit.reports[0] as TaskReport);
}

async function deliverUnit(unit: DeliveryUnit, options: DeliverOptions): Promise<EventResult[]> {
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
  let holders = await claimAll(unit.members.keys(), (i) => keys[i] as string, out, base, options);
  while (holders.length > 0) {
    const message = messageFor(unit, holders);
    const messageId = ++messageCount;
    const attempt = await trySend(options.sender, message, unit, holders, deadline);
    if ('sent' in attempt) {
      await recordAll(options, 'complete', holders);
      for (const h of holders) {
        out[h.i] = {
          ...base(h.i),
          status: 'notified',
          message: attempt.sent,
          messageId,
          ...(h.resend ? { reason: 'sent once more: Slack never answered the first send' } : {}),
        };
      }
      break;
    }
    const error = attempt.error;
    if (!error.ambiguous) {
      await recordAll(options, 'release', holders);
      for (const h of holders) {
        out[h.i] = { ...base(h.i), reason: error.message, retryable: !error.permanent, message };
      }
      break;
    }
    // The request may have reached Slack: never send it blindly again. Record that, and send
    // each stop at most once more, under its resend key.
    await recordAll(options, 'markUnconfirmed', holders);
    for (const h of holders.filter((h) => h.resend)) {
      out[h.i] = {
        ...base(h.i),
        status: 'notified',
        unconfirmed: true,
        reason: `${error.message}, twice: it may have arrived, so it is not sent again`,
        message,
        messageId,
      };
    }
    const firsts = holders.filter((h) => !h.resend).map((h) => h.i);
    if (now() >= deadline - SEND_ALLOWANCE_MS) {
      for (const i of firsts) {
        out[i] = {
          ...base(i),
          reason: `${error.message}: it may have arrived; it will be sent once more on retry`,
          retryable: true,
          message,
        };
      }
      break;
    }
    holders = await claimAll(firsts.values(), (i) => keys[i] as string, out, base, options);
  }
  return out;
}

interface Holder {
  /** The member's position in its unit. */
  i: number;
  /** The ledger key it holds: its own, or its resend key. */
  key: string;
  resend: boolean;
}

/** Ledger round trips in flight at once: a digest of thousands claims in parallel, within bounds. */
export const CLAIM_CONCURRENCY = 25;

/** Claims each member; those that may be sent are returned, the others get their result in `out`. */
async function claimAll(
  members: Iterable<number>,
  keyOf: (i: number) => string,
  out: EventResult[],
  base: (i: number) => EventResult,
  options: DeliverOptions,
): Promise<Holder[]> {
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const now = options.now ?? Date.now;
  const claims = await pMap(
    members,
    async (i) => ({ i, claim: await claimMember(options.ledger, keyOf(i), deadline - now()) }),
    { concurrency: CLAIM_CONCURRENCY },
  );
  const holders: Holder[] = [];
  for (const { i, claim } of claims) {
    if (claim.send) holders.push({ i, key: claim.key, resend: claim.resend });
    else
      out[i] = {
        ...base(i),
        status: claim.status,
        reason: claim.reason,
        ...(claim.status === 'failed' ? { retryable: true } : {}),
      };
  }
  return holders;
}

/** Updates the ledger for each holder; a failure is logged, never thrown: the send is already decided. */
async function recordAll(
  options: DeliverOptions,
  action: 'complete' | 'markUnconfirmed' | 'release',
  holders: readonly Holder[],
): Promise<void> {
  await pMap(holders, (h) => record(options, action, h.key), { concurrency: CLAIM_CONCURRENCY });
}

async function record(
  options: DeliverOptions,
  action: 'complete' | 'markUnconfirmed' | 'release',
  key: string,
): Promise<void> {
  try {
    await options.ledger?.[action](key);
  } catch (error) {
    const why = {
      complete: 'sent, but could not record it; a redelivery may repeat it',
      markUnconfirmed: 'sent without an answer, and could not record it; a redelivery may repeat it',
      release: 'not sent, and could not release its claim; a retry can claim it once the claim expires',
    }[action];
    options.logger?.error(why, { key, error: (error as Error).name });
  }
}

/** Numbers the messages of this process, so results can say which events shared one. */
let messageCount = 0;

/** The message for the members actually held: a digest stays one while it has several. */
function messageFor(unit: DeliveryUnit, holders: Holder[]): SlackMessage {
  const reports = holders.map((h) => unit.reports[h.i] as TaskReport);
  return unit.digest && reports.length > 1
    ? buildDigestMessage(reports)
    : buildSlackMessage(reports[0] as TaskReport);
}

async function trySend(
  sender: SlackSender | undefined,
  message: SlackMessage,
  unit: DeliveryUnit,
  holders: Holder[],
  deadline: number,
): Promise<{ sent: SlackMessage } | { error: SlackDeliveryError }> {
  if (!sender) return { sent: message };
  try {
    await sender.send(message, { deadline });
    return { sent: message };
  } catch (error) {
    if (!(error instanceof SlackDeliveryError)) throw error;
    // invalid_payload may be our blocks, not the webhook: try the same facts as plain text once.
    if (error.code !== 'invalid_payload') return { error };
    const report = unit.reports[holders[0]?.i as number] as TaskReport;
    const plain = holders.length === 1 ? buildPlainTextMessage(report) : { text: message.text };
    try {
      await sender.send(plain, { deadline });
      return { sent: plain };
    } catch (again) {
      if (!(again instanceof SlackDeliveryError)) throw again;
      return { error: again };
    }
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
    ...(result.unconfirmed ? { unconfirmed: true } : {}),
  };
  if (result.status === 'failed') logger.error('task event not delivered', keys);
  else if (result.status === 'rejected') logger.warn('task event rejected', keys);
  else if (result.unconfirmed) logger.warn('task event sent, but Slack never answered', keys);
  else logger.info(result.status === 'notified' ? 'task event notified' : 'task event skipped', keys);
}
