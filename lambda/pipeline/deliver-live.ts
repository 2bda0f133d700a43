import { randomUUID } from 'node:crypto';
import pMap from 'p-map';
import type { LiveItem, LiveLedger } from '../adapters/live-ledger.js';
import { type ChannelMessages, SlackDeliveryError } from '../adapters/slack.js';
import type { MentionConfig } from '../domain/config/config.js';
import { addMention, mentionText } from '../domain/delivery/routes.js';
import { describeUnexpected } from '../domain/errors.js';
import {
  aggregateOf,
  buildLiveDigestMessage,
  LIVE_WINDOW_MS,
  type LiveAggregate,
  mergeAggregates,
} from '../domain/message/live-digest.js';
import type { SlackMessage, SuccessStyle } from '../domain/message/slack-message.js';
import type { Report } from '../domain/report/report.js';
import type { Outcome } from '../domain/task/task.js';
import { claimMember } from './claims.js';
import {
  CLAIM_CONCURRENCY,
  nextMessageId,
  type RouteResult,
  SEND_ALLOWANCE_MS,
  type UnitContext,
} from './deliver-unit.js';
import type { DeliveryUnit } from './units.js';

export interface LiveContext extends UnitContext {
  live: LiveLedger;
  /** @default {@link LIVE_WINDOW_MS} */
  windowMs?: number;
}

/** Compare-and-set rounds before a merge gives up (each lost round means another invocation merged). */
const MERGE_ROUNDS = 20;
/** A lease never outlives this, so a crashed holder holds no message for long. */
const LEASE_MS = 15 * 60_000;
/** The message was deleted or can no longer be edited: the window's next message is a new post. */
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * Counts one unit's task stops in its live message (app mode) and shows them: each member is
 * claimed, merged into the window's aggregate (compare and set on its version, so concurrent
 * invocations both count), recorded sent; then the message is posted once and updated after,
 * re-rendered from the stored aggregate by whichever invocation holds the lease. A member already
 * counted (a retry) counts nothing again, but still brings the message up to date.
 */
export async function deliverLive(
  unit: DeliveryUnit & { live: string },
  keys: readonly string[],
  route: { name: string; messages: ChannelMessages; mention?: MentionConfig; successes?: SuccessStyle },
  ctx: LiveContext,
): Promise<RouteResult[]> {
  const base = (): RouteResult => ({ route: route.name, status: 'failed', digest: true });
  const out = unit.members.map(base);
  if (route.successes === 'none' && unit.reports.every((r) => r.outcome === 'succeeded'))
    return out.map((r) => ({
      ...r,
      status: 'skipped',
      reason: `successes are not sent on route ${route.name} (successes: none)`,
    }));
  if (ctx.now() >= ctx.deadline)
    return out.map((r) => ({ ...r, reason: 'out of time before sending', retryable: true }));
  const claims = await pMap(
    unit.members.keys(),
    async (i) => ({ i, claim: await claimMember(ctx.ledger, keys[i] as string, ctx.deadline - ctx.now()) }),
    { concurrency: CLAIM_CONCURRENCY },
  );
  const holders = claims.flatMap(({ i, claim }) => (claim.send ? [{ i, key: claim.key }] : []));
  const counted = claims.flatMap(({ i, claim }) => (!claim.send && claim.status === 'skipped' ? [i] : []));
  for (const { i, claim } of claims)
    if (!claim.send)
      out[i] = {
        ...base(),
        status: claim.status,
        reason: claim.reason,
        retryable: claim.status === 'failed',
      };

  const record = (action: 'complete' | 'release') =>
    pMap(holders, (h) => ctx.ledger?.[action](h.key).catch(() => undefined), {
      concurrency: CLAIM_CONCURRENCY,
    });
  if (holders.length > 0) {
    try {
      const delta = aggregateOf(holders.map((h) => unit.reports[h.i] as Report));
      await mergeLive(unit.live, ctx, (item, open) =>
        open && !('thread' in item.aggregate) ? mergeAggregates(item.aggregate, delta) : delta,
      );
    } catch (error) {
      await record('release');
      const reason = `the live digest could not be counted: ${describeUnexpected(error)}`;
      for (const h of holders) out[h.i] = { ...base(), reason, retryable: true };
      return out;
    }
    // Counted: a retry must not count them again, whatever happens to the message.
    await record('complete');
  }
  if (holders.length === 0 && counted.length === 0) return out;

  const touched = [...holders.map((h) => h.i), ...counted];
  try {
    const shown = await showLive(unit.live, route, ctx, (item) => {
      const aggregate = item.aggregate as LiveAggregate;
      return addMention(
        buildLiveDigestMessage(aggregate, { since: item.startedAt }),
        mentionText(route.mention, Object.keys(aggregate.counts) as Outcome[]),
      );
    });
    const messageId = nextMessageId();
    if (holders.length === 0 && !shown.sent) return out;
    for (const i of touched)
      out[i] = shown.behind
        ? { ...base(), reason: 'counted in the live digest, not yet shown: out of time', retryable: true }
        : {
            ...base(),
            status: 'notified',
            ...(shown.message ? { message: shown.message } : {}),
            messageId,
            ...(shown.sent ? {} : { reason: 'counted in the live digest another invocation is updating' }),
          };
  } catch (error) {
    const failure =
      error instanceof SlackDeliveryError
        ? { reason: error.message, retryable: !error.permanent }
        : { reason: describeUnexpected(error), retryable: true };
    ctx.logger?.error('live digest not shown', { route: route.name, error: failure.reason });
    for (const i of touched) out[i] = { ...base(), ...failure };
  }
  return out;
}

/**
 * Writes `next(item, open)` as the window's new state by compare and set, starting a new window
 * when the last one ended (`open` false); `next` answering the same state writes nothing.
 */
export async function mergeLive(
  key: string,
  ctx: LiveContext,
  next: (item: LiveItem, open: boolean) => LiveItem['aggregate'],
): Promise<void> {
  const windowMs = ctx.windowMs ?? LIVE_WINDOW_MS;
  for (let round = 0; round < MERGE_ROUNDS; round++) {
    const item = await ctx.live.read(key);
    const now = ctx.now();
    const open = item !== undefined && now - item.startedAt < windowMs;
    const blank: LiveItem = { version: 0, startedAt: now, shown: 0, aggregate: undefined as never };
    const aggregate = next(item ?? blank, open);
    if (open && aggregate === item.aggregate) return;
    const merged = await ctx.live.merge(key, item?.version, {
      version: (item?.version ?? 0) + 1,
      startedAt: open ? item.startedAt : now,
      aggregate,
      newWindow: !open,
    });
    if (merged) return;
  }
  throw new Error(`${MERGE_ROUNDS} concurrent merges in a row came first`);
}

export interface Shown {
  /** This invocation posted or updated the message. */
  sent: boolean;
  message?: SlackMessage;
  /** Out of time with a newer aggregate not shown: the caller's retry shows it. */
  behind?: boolean;
}

/**
 * Brings the live message up to its newest aggregate, when this invocation gets the lease; else
 * the holder does (it shows every merge that came before it gives the lease back).
 */
export async function showLive(
  key: string,
  route: { messages: ChannelMessages },
  ctx: LiveContext,
  render: (item: LiveItem) => SlackMessage,
): Promise<Shown> {
  const owner = randomUUID();
  const until = Math.min(ctx.deadline, ctx.now() + LEASE_MS);
  if (!(await ctx.live.lease(key, owner, until, ctx.now()))) return { sent: false };
  let last: SlackMessage | undefined;
  try {
    for (;;) {
      const item = await ctx.live.read(key);
      if (!item) return { sent: last !== undefined };
      if (item.ts && item.shown >= item.version) {
        // Given back only while nothing newer came: a merge after this read is shown by another round.
        if (await ctx.live.release(key, owner, item.version))
          return { sent: last !== undefined, ...(last ? { message: last } : {}) };
        continue;
      }
      if (ctx.now() >= ctx.deadline - SEND_ALLOWANCE_MS) {
        await ctx.live.release(key, owner);
        return { sent: last !== undefined, behind: true };
      }
      const message = render(item);
      const at = await send(item, message, route.messages, ctx.deadline);
      if (!(await ctx.live.show(key, owner, { version: item.version, startedAt: item.startedAt, ...at })))
        return { sent: true, message }; // A new window began, or the lease ran out: its new holder goes on.
      last = message;
    }
  } catch (error) {
    await ctx.live.release(key, owner).catch(() => undefined);
    throw error;
  }
}

/** Updates the window's message, or posts it when there is none yet or it is gone. */
async function send(
  item: LiveItem,
  message: SlackMessage,
  messages: ChannelMessages,
  deadline: number,
): Promise<{ ts: string; channel: string }> {
  if (item.ts) {
    try {
      await messages.update(item.ts, message, { deadline });
      return { ts: item.ts, channel: item.channel ?? messages.channel };
    } catch (error) {
      if (!(error instanceof SlackDeliveryError && GONE.has(error.code ?? ''))) throw error;
    }
  }
  return messages.post(message, { deadline });
}
