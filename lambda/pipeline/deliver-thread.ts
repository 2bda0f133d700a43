import { createHash } from 'node:crypto';
import { type ChannelMessages, SlackDeliveryError } from '../adapters/slack.js';
import type { MentionConfig } from '../domain/config/config.js';
import { addMention, mentionText } from '../domain/delivery/routes.js';
import { describeUnexpected } from '../domain/errors.js';
import { buildReportMessage } from '../domain/message/report-message.js';
import {
  splitForThread,
  THREAD_MEMBERS,
  type ThreadState,
  withRepeatCount,
} from '../domain/message/thread-message.js';
import type { Report } from '../domain/report/report.js';
import { claimMember } from './claims.js';
import { type LiveContext, mergeLive, showLive } from './deliver-live.js';
import { nextMessageId, type RouteResult } from './deliver-unit.js';

/**
 * Sends one failure of an app-mode route as a thread: the first failure of a job (route, source
 * and family) in a window posts its card, its log tail replying in the thread; each later one
 * replies with its own card in that thread, and the first card is updated to say how often the job
 * failed. The failure is claimed first and counted by its key in the thread's state, so a
 * redelivery neither counts nor replies twice once its reply was sent.
 */
export async function deliverThread(
  report: Report,
  key: string,
  threadKey: string,
  route: { name: string; messages: ChannelMessages; mention?: MentionConfig },
  ctx: LiveContext,
): Promise<RouteResult> {
  const base: RouteResult = { route: route.name, status: 'failed' };
  if (ctx.now() >= ctx.deadline) return { ...base, reason: 'out of time before sending', retryable: true };
  const claim = await claimMember(ctx.ledger, key, ctx.deadline - ctx.now());
  if (!claim.send)
    return { ...base, status: claim.status, reason: claim.reason, retryable: claim.status === 'failed' };
  const id = createHash('md5').update(key).digest('base64').slice(0, 12);
  const mention = mentionText(route.mention, [report.outcome]);
  const { parent, reply } = splitForThread(report);
  try {
    await mergeLive(threadKey, ctx, (item, open) => {
      const state = item.aggregate as ThreadState | undefined;
      if (!open || !state || !('thread' in state))
        return { thread: true, parent: addMention(parent, mention), members: [id], count: 1 };
      if (state.members.includes(id)) return state;
      const members = state.members.length < THREAD_MEMBERS ? [...state.members, id] : state.members;
      return { ...state, members, count: state.count + 1 };
    });
    await showLive(threadKey, route, ctx, (item) => {
      const state = item.aggregate as ThreadState;
      return withRepeatCount(state.parent, state.count, item.startedAt);
    });
    const item = await ctx.live.read(threadKey);
    const state = item?.aggregate as ThreadState | undefined;
    if (!item?.ts || !state)
      throw new SlackDeliveryError('the thread is not posted yet', { code: 'no_thread', permanent: false });
    const first = state.members[0] === id;
    const message = first ? reply : buildReportMessage(report);
    if (message) await route.messages.post(message, { deadline: ctx.deadline, threadTs: item.ts });
    await ctx.ledger?.complete(claim.key).catch(() => undefined);
    return {
      ...base,
      status: 'notified',
      message: first ? parent : (message ?? parent),
      messageId: nextMessageId(),
      ...(first ? {} : { reason: `replied in the thread of its first failure (${state.count}× since it)` }),
    };
  } catch (error) {
    await ctx.ledger?.release(claim.key).catch(() => undefined);
    const failure =
      error instanceof SlackDeliveryError
        ? { reason: error.message, retryable: !error.permanent }
        : { reason: describeUnexpected(error), retryable: true };
    ctx.logger?.error('failure thread not sent', { route: route.name, error: failure.reason });
    return { ...base, ...failure };
  }
}
