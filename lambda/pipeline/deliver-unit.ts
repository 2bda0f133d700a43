import type { Logger } from '@aws-lambda-powertools/logger';
import pMap from 'p-map';
import type { SentLedger } from '../adapters/sent-ledger.js';
import { SlackDeliveryError, type SlackSender } from '../adapters/slack.js';
import type { MentionConfig } from '../domain/config/config.js';
import { addMention, DEFAULT_ROUTE, mentionText } from '../domain/delivery/routes.js';
import { describeUnexpected } from '../domain/errors.js';
import { buildDigestMessage } from '../domain/message/digest-message.js';
import { buildPlainReportMessage, buildReportMessage } from '../domain/message/report-message.js';
import type { SlackMessage, SuccessStyle } from '../domain/message/slack-message.js';
import type { Report } from '../domain/report/report.js';
import { claimMember } from './claims.js';
import type { DeliveryUnit } from './units.js';

/** How one task stop ended on one route. */
export interface RouteResult {
  route: string;
  status: 'notified' | 'skipped' | 'failed';
  reason?: string;
  /** Failed, but worth retrying later (the record goes back to the queue). */
  retryable?: boolean;
  /** The exact payload sent, or that would be sent in a dry run. */
  message?: SlackMessage;
  /** The same number for every task stop of one message, unique in the process. */
  messageId?: number;
  digest?: boolean;
  /** Sent, but Slack never answered: the message may or may not have arrived. */
  unconfirmed?: boolean;
}

/** Where one route's messages go, and who they ping. */
export interface UnitRoute {
  name: string;
  /** Omitted: nothing is sent (dry run); the message counts as sent. */
  sender?: SlackSender;
  mention?: MentionConfig;
  /** How a success is shown: `none` skips a message of successes only. @default 'line' */
  successes?: SuccessStyle;
}

export interface UnitContext {
  ledger?: SentLedger;
  /** Epoch milliseconds after which no send starts or waits. */
  deadline: number;
  now: () => number;
  logger?: Pick<Logger, 'error'>;
}

/** The last send starts this long before the deadline, so its answer can arrive in time. */
export const SEND_ALLOWANCE_MS = 1000;
/** Ledger round trips in flight at once: a digest of thousands claims in parallel, within bounds. */
export const CLAIM_CONCURRENCY = 25;

/** A task stop's key on a route: the default route keeps the key it always had. */
export function routeKey(key: string, route: string): string {
  return route === DEFAULT_ROUTE ? key : `${key}@${route}`;
}

/** Numbers the messages of this process, so results can say which task stops shared one. */
let messageCount = 0;

/** The next message's number in this process. */
export function nextMessageId(): number {
  return ++messageCount;
}

/**
 * Sends one unit's message on one route: each member claimed in the ledger first, recorded sent
 * once Slack accepted it, released when it surely did not arrive, and marked unconfirmed when
 * Slack never answered (then sent once more, never twice). Every member gets a result.
 */
export async function deliverUnit(
  unit: DeliveryUnit,
  keys: readonly string[],
  route: UnitRoute,
  ctx: UnitContext,
): Promise<RouteResult[]> {
  const base = (): RouteResult => ({
    route: route.name,
    status: 'failed',
    ...(unit.digest ? { digest: true } : {}),
  });
  const out = unit.members.map(base);
  if (route.successes === 'none' && unit.reports.every((r) => r.outcome === 'succeeded'))
    return out.map((r) => ({
      ...r,
      status: 'skipped',
      reason: `successes are not sent on route ${route.name} (successes: none)`,
    }));
  if (ctx.now() >= ctx.deadline)
    return out.map((r) => ({ ...r, reason: 'out of time before sending', retryable: true }));

  let holders = await claimAll(unit.members.keys(), (i) => keys[i] as string, out, base, ctx);
  while (holders.length > 0) {
    const reports = holders.map((h) => unit.reports[h.i] as Report);
    const mention = mentionText(
      route.mention,
      reports.map((r) => r.outcome),
    );
    let message: SlackMessage;
    try {
      message = addMention(messageFor(unit, reports, route.successes), mention);
    } catch (error) {
      // A bug tripped by one odd task stop: never let it take the rest of a digest down with it.
      await recordAll(ctx, 'release', holders);
      if (unit.digest && unit.reports.length > 1) return deliverApart(unit, keys, route, ctx);
      const reason = `the message could not be built: ${describeUnexpected(error)}`;
      ctx.logger?.error('message not built', { route: route.name, error: reason });
      for (const h of holders) out[h.i] = { ...base(), reason };
      break;
    }
    // When Slack refuses our blocks (invalid_payload), the same facts as text, mentions kept.
    const plain = () =>
      reports.length === 1
        ? addMention(buildPlainReportMessage(reports[0] as Report), mention)
        : { text: message.text };
    const messageId = nextMessageId();
    const attempt = await trySend(route.sender, message, plain, ctx.deadline);
    if ('sent' in attempt) {
      await recordAll(ctx, 'complete', holders);
      for (const h of holders) {
        out[h.i] = {
          ...base(),
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
      await recordAll(ctx, 'release', holders);
      for (const h of holders)
        out[h.i] = { ...base(), reason: error.message, retryable: !error.permanent, message };
      break;
    }
    // The request may have reached Slack: never send it blindly again. Record that, and send
    // each stop at most once more, under its resend key.
    await recordAll(ctx, 'markUnconfirmed', holders);
    for (const h of holders.filter((h) => h.resend)) {
      out[h.i] = {
        ...base(),
        status: 'notified',
        unconfirmed: true,
        reason: `${error.message}, twice: it may have arrived, so it is not sent again`,
        message,
        messageId,
      };
    }
    const firsts = holders.filter((h) => !h.resend).map((h) => h.i);
    if (ctx.now() >= ctx.deadline - SEND_ALLOWANCE_MS) {
      for (const i of firsts) {
        out[i] = {
          ...base(),
          reason: `${error.message}: it may have arrived; it will be sent once more on retry`,
          retryable: true,
          message,
        };
      }
      break;
    }
    holders = await claimAll(firsts.values(), (i) => keys[i] as string, out, base, ctx);
  }
  return out;
}

/** A digest that could not be built, sent as one message per member instead, one after another. */
async function deliverApart(
  unit: DeliveryUnit,
  keys: readonly string[],
  route: UnitRoute,
  ctx: UnitContext,
): Promise<RouteResult[]> {
  const out: RouteResult[] = [];
  for (const [i, member] of unit.members.entries()) {
    const single = { members: [member], reports: [unit.reports[i] as Report], digest: false };
    out.push(...(await deliverUnit(single, [keys[i] as string], route, ctx)));
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

/** Claims each member; those that may be sent are returned, the others get their result in `out`. */
async function claimAll(
  members: Iterable<number>,
  keyOf: (i: number) => string,
  out: RouteResult[],
  base: () => RouteResult,
  ctx: UnitContext,
): Promise<Holder[]> {
  const claimOne = async (i: number) => ({
    i,
    claim: await claimMember(ctx.ledger, keyOf(i), ctx.deadline - ctx.now()),
  });
  const list = [...members];
  // Most messages are one task stop's: no need for the pool's machinery then.
  const claims =
    list.length === 1
      ? [await claimOne(list[0] as number)]
      : await pMap(list, claimOne, { concurrency: CLAIM_CONCURRENCY });
  const holders: Holder[] = [];
  for (const { i, claim } of claims) {
    if (claim.send) holders.push({ i, key: claim.key, resend: claim.resend });
    else
      out[i] = {
        ...base(),
        status: claim.status,
        reason: claim.reason,
        ...(claim.status === 'failed' ? { retryable: true } : {}),
      };
  }
  return holders;
}

/** Updates the ledger for each holder; a failure is logged, never thrown: the send is already decided. */
async function recordAll(
  ctx: UnitContext,
  action: 'complete' | 'markUnconfirmed' | 'release',
  holders: readonly Holder[],
): Promise<void> {
  const { ledger } = ctx;
  if (!ledger) return;
  const recordOne = async (h: Holder) => {
    try {
      await ledger[action](h.key);
    } catch (error) {
      const why = {
        complete: 'sent, but could not record it; a redelivery may repeat it',
        markUnconfirmed: 'sent without an answer, and could not record it; a redelivery may repeat it',
        release: 'not sent, and could not release its claim; a retry can claim it once the claim expires',
      }[action];
      ctx.logger?.error(why, { key: h.key, error: (error as Error).name });
    }
  };
  if (holders.length === 1) await recordOne(holders[0] as Holder);
  else await pMap(holders, recordOne, { concurrency: CLAIM_CONCURRENCY });
}

/** The message for the reports actually held: a digest stays one while it has several. */
function messageFor(unit: DeliveryUnit, reports: Report[], successes?: SuccessStyle): SlackMessage {
  return unit.digest && reports.length > 1
    ? buildDigestMessage(reports)
    : buildReportMessage(reports[0] as Report, successes ? { successes } : {});
}

async function trySend(
  sender: SlackSender | undefined,
  message: SlackMessage,
  plain: () => SlackMessage,
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
    const fallback = plain();
    try {
      await sender.send(fallback, { deadline });
      return { sent: fallback };
    } catch (again) {
      if (!(again instanceof SlackDeliveryError)) throw again;
      return { error: again };
    }
  }
}
