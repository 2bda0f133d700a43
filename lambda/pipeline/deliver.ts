import type { Logger } from '@aws-lambda-powertools/logger';
import type { LiveLedger } from '../adapters/live-ledger.js';
import type { SentLedger } from '../adapters/sent-ledger.js';
import type { SlackSender } from '../adapters/slack.js';
import type { MentionConfig } from '../domain/config/config.js';
import { DEFAULT_ROUTE } from '../domain/delivery/routes.js';
import { LIVE_WINDOW_MS } from '../domain/message/live-digest.js';
import type { SlackMessage, SuccessStyle } from '../domain/message/slack-message.js';
import { reportKey, subjectOf } from '../domain/report/keys.js';
import type { Report, ReportKind, Subject } from '../domain/report/report.js';
import type { Task } from '../domain/task/task.js';
import { deliverLive } from './deliver-live.js';
import { deliverThread } from './deliver-thread.js';
import { deliverUnit, type RouteResult, routeKey, SEND_ALLOWANCE_MS } from './deliver-unit.js';
import type { Evaluation } from './evaluate.js';
import { liveKey, liveUnits, openLiveKeys } from './live-plan.js';
import { type DeliveryUnit, planUnits, type Ready } from './units.js';

export type { RouteResult } from './deliver-unit.js';
export { SEND_ALLOWANCE_MS } from './deliver-unit.js';

/** How one event ended: sent, skipped with a reason, rejected with the field named, or failed. */
export interface EventResult {
  status: 'notified' | 'skipped' | 'rejected' | 'failed';
  reason?: string;
  /** A task event's task, when it was skipped before its report was made. */
  task?: Task;
  /** What an event of another kind is about, when it was skipped before its report was made. */
  subject?: Subject;
  /** The kind of a rejected event, when its `detail-type` said. */
  kind?: ReportKind;
  report?: Report;
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
  /** How it ended on each route it went to (absent when it was skipped or rejected before routing). */
  routes?: RouteResult[];
}

export type DecisionLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * Adds to reports what only a message shown in full needs (say, the task definition's log
 * streams and a failed container's last log lines), by `deadline`; never throws, never drops one.
 */
export type ReportEnricher = <R extends Report>(reports: R[], deadline: number) => Promise<R[]>;

/** Where one route's messages go: its webhook (omitted in a dry run), threshold and mentions. */
export interface RouteTarget {
  sender?: SlackSender;
  /** Why the route cannot send now (its secret could not be read): its task stops are retried. */
  failure?: string;
  digestThreshold?: number;
  mention?: MentionConfig;
  /** How a success is shown on the route; one line by default. */
  successes?: SuccessStyle;
}

export interface DeliverOptions {
  /** Applied once per batch to the reports sent one per message (never to digests). */
  enrich?: ReportEnricher;
  /** The most time `enrich` may take; sends are planned for what is left. */
  enrichBudgetMs?: number;
  /** The default route's webhook; omitted: nothing is sent (dry run), ready events count as notified. */
  sender?: SlackSender;
  /** The default route's: more than this many stops of one source and family in a batch become one digest. */
  digestThreshold?: number;
  /**
   * Every route's target by name; a route missing here is skipped, naming it. Omitted: the
   * default route only, with `sender` and `digestThreshold`.
   */
  routes?: ReadonlyMap<string, RouteTarget>;
  /** Which routes a task stop goes to (`routesFor`); the default route when omitted. */
  routeOf?: (report: Report) => string[];
  /** Which task stops were already notified; omitted, duplicates are only caught within a batch. */
  ledger?: SentLedger;
  /** App mode: each storm one message per route, source and family, updated in place; omitted, none. */
  live?: LiveLedger;
  /** How long a live message takes more stops, from its first. @default {@link LIVE_WINDOW_MS} */
  liveWindowMs?: number;
  /**
   * Runs one route's share of the batch. A caller delivering several batches at once passes one
   * that keeps each route's batches in order, so a route waiting out a 429 holds back only itself.
   */
  lane?: (route: string, work: () => Promise<void>) => Promise<void>;
  /** Epoch milliseconds after which no send starts or waits. */
  deadline?: number;
  logger?: DecisionLogger;
  now?: () => number;
}

/** One route's share of a batch: its target, and its messages as planned. */
interface RoutePlan {
  name: string;
  target: RouteTarget | undefined;
  units: DeliveryUnit[];
}

/**
 * Sends what the evaluations call for, on every route each task stop goes to: one message per task
 * stop, or a digest where stops pile up or the route's pace leaves too few sends before the
 * deadline. Routes go side by side, each at its own pace. Each member is claimed in the ledger per
 * route first and recorded as sent only once Slack accepted it, so a route that failed is retried
 * alone. Every event gets a result.
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
    const key = reportKey(e.report);
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
  const plans = planRoutes(ready, options, deadline);
  const now = options.now ?? Date.now;
  const windowMs = options.liveWindowMs ?? LIVE_WINDOW_MS;
  const { live } = options;
  if (live)
    for (const plan of plans.filter((p) => p.target?.sender?.messages)) {
      const keys = plan.units.flatMap((u) => u.reports.map((r) => liveKey(plan.name, r)));
      plan.units = liveUnits(plan.units, plan.name, await openLiveKeys(keys, live, now(), windowMs));
    }
  const enriched = options.enrich ? await enrichSingles(plans, options.enrich, deadline) : new Map();
  const ctx = {
    ...(options.ledger ? { ledger: options.ledger } : {}),
    deadline,
    now,
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const byEvent = new Map<number, RouteResult[]>();
  const lane = options.lane ?? ((_route: string, work: () => Promise<void>) => work());
  await Promise.all(
    plans.map(({ name, target, units }) =>
      lane(name, async () => {
        for (const unit of units) {
          const outcome = !target
            ? unit.members.map(
                (): RouteResult => ({
                  route: name,
                  status: 'skipped',
                  reason: `no webhook for route ${name}`,
                }),
              )
            : target.failure
              ? unit.members.map(
                  (): RouteResult => ({
                    route: name,
                    status: 'failed',
                    reason: target.failure,
                    retryable: true,
                  }),
                )
              : unit.live && live && target.sender?.messages
                ? await deliverLive(
                    { ...unit, live: unit.live },
                    keysOf(unit, name),
                    { name, ...target, messages: target.sender.messages },
                    { ...ctx, live, windowMs },
                  )
                : !unit.digest && live && target.sender?.messages && unit.reports[0]?.outcome === 'failed'
                  ? [
                      await deliverThread(
                        unit.reports[0],
                        keysOf(unit, name)[0] as string,
                        `${liveKey(name, unit.reports[0])}\u0000thread`,
                        { name, ...target, messages: target.sender.messages },
                        { ...ctx, live, windowMs },
                      ),
                    ]
                  : await deliverUnit(unit, keysOf(unit, name), { name, ...target }, ctx);
          for (const [i, index] of unit.members.entries()) {
            const routes = byEvent.get(index);
            if (routes) routes.push(outcome[i] as RouteResult);
            else byEvent.set(index, [outcome[i] as RouteResult]);
          }
        }
      }),
    ),
  );
  for (const { index, report } of ready) {
    // Routes in the order the plans list them (the routing's), whatever order they finished in.
    const order = plans.map((p) => p.name);
    const routes = (byEvent.get(index) ?? []).sort((a, b) => order.indexOf(a.route) - order.indexOf(b.route));
    results[index] = mergeRoutes(enriched.get(index) ?? report, routes);
  }
  for (const result of results) logDecision(result, options.logger);
  return results;
}

/** Each route's stops, planned into messages within its pace's budget before the deadline. */
function planRoutes(ready: Ready[], options: DeliverOptions, deadline: number): RoutePlan[] {
  const byRoute = new Map<string, Ready[]>();
  for (const item of ready) {
    for (const name of options.routeOf?.(item.report) ?? [DEFAULT_ROUTE]) {
      const items = byRoute.get(name);
      if (items) items.push(item);
      else byRoute.set(name, [item]);
    }
  }
  const horizon = deadline - SEND_ALLOWANCE_MS - (options.enrich ? (options.enrichBudgetMs ?? 0) : 0);
  // Routes in the order they are configured, whatever order the stops came in.
  const order = [...(options.routes?.keys() ?? [])];
  const position = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...byRoute]
    .sort(([a], [b]) => position(a) - position(b))
    .map(([name, items]) => {
      const target = targetOf(name, options);
      // Never plan more messages than the pace lets start before the deadline: the rest would go
      // back to the queue, spending a receive each time, and pacing alone could push them to the DLQ.
      const budget =
        target?.sender && Number.isFinite(deadline)
          ? Math.max(1, target.sender.capacityUntil(horizon))
          : Number.POSITIVE_INFINITY;
      const threshold = target?.digestThreshold ?? options.digestThreshold ?? Number.POSITIVE_INFINITY;
      return { name, target, units: planUnits(items, threshold, budget) };
    });
}

function targetOf(name: string, options: DeliverOptions): RouteTarget | undefined {
  if (options.routes) return options.routes.get(name);
  if (name !== DEFAULT_ROUTE) return undefined;
  return {
    ...(options.sender ? { sender: options.sender } : {}),
    ...(options.digestThreshold ? { digestThreshold: options.digestThreshold } : {}),
  };
}

/** Each member's ledger key on the route. */
function keysOf(unit: DeliveryUnit, route: string): string[] {
  return unit.reports.map((r) => routeKey(reportKey(r), route));
}

/** Enriches the reports sent one per message on any route, each once, all in one call; returns them by event. */
async function enrichSingles(
  plans: RoutePlan[],
  enrich: ReportEnricher,
  deadline: number,
): Promise<Map<number, Report>> {
  const singles = new Map<number, Report>();
  for (const plan of plans)
    for (const unit of plan.units)
      if (!unit.digest) singles.set(unit.members[0] as number, unit.reports[0] as Report);
  if (singles.size === 0) return singles;
  const indexes = [...singles.keys()];
  const enriched = await enrich([...singles.values()], deadline);
  const byIndex = new Map(
    indexes.map((index, i) => [index, enriched[i] ?? (singles.get(index) as Report)] as const),
  );
  for (const plan of plans)
    for (const unit of plan.units)
      if (!unit.digest)
        unit.reports[0] = byIndex.get(unit.members[0] as number) ?? (unit.reports[0] as Report);
  return byIndex;
}

/**
 * One event's result from its routes: failed when any route failed (the record is retried, and
 * only that route sends again), notified when any route notified, else skipped.
 */
function mergeRoutes(report: Report, routes: RouteResult[]): EventResult {
  const failed = routes.filter((r) => r.status === 'failed');
  const notified = routes.filter((r) => r.status === 'notified');
  const named = (r: RouteResult) => (routes.length > 1 ? `${r.route}: ${r.reason}` : (r.reason as string));
  const shown = notified[0] ?? failed[0] ?? routes[0];
  const status = failed.length > 0 ? 'failed' : notified.length > 0 ? 'notified' : 'skipped';
  // Failed routes say why first; a route skipped or sent again says so beside a success.
  const reasons = [...failed, ...routes.filter((r) => r.status !== 'failed')].filter((r) => r.reason);
  return {
    status,
    report,
    routes,
    ...(reasons.length > 0 ? { reason: reasons.map(named).join('; ') } : {}),
    ...(failed.length > 0 ? { retryable: failed.every((r) => r.retryable) } : {}),
    ...(shown?.message ? { message: shown.message } : {}),
    ...(shown?.messageId !== undefined ? { messageId: shown.messageId } : {}),
    ...(routes.some((r) => r.digest) ? { digest: true } : {}),
    ...(routes.some((r) => r.unconfirmed) ? { unconfirmed: true } : {}),
  };
}

/** One structured line per decision, keyed for search; never the webhook URL. */
export function logDecision(result: EventResult, logger: DecisionLogger | undefined): void {
  if (!logger) return;
  const task = result.report?.kind === 'task' ? result.report.task : result.task;
  const subject = result.report ? subjectOf(result.report) : result.subject;
  const keys = {
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(task
      ? { taskArn: task.taskArn, family: task.family, revision: task.revision, lastStatus: task.lastStatus }
      : subject
        ? {
            kind: subject.kind,
            ...(subject.family ? { family: subject.family } : {}),
            revision: subject.revision,
            ...(subject.clusterArn ? { clusterArn: subject.clusterArn } : {}),
            ...(subject.service ? { service: subject.service } : {}),
            ...(subject.job ? { job: subject.job } : {}),
            eventStatus: subject.status,
          }
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
    // Which route got what, once there is more than the default one.
    ...(result.routes?.some((r) => r.route !== DEFAULT_ROUTE)
      ? { routes: Object.fromEntries(result.routes.map((r) => [r.route, r.status])) }
      : {}),
  };
  const what = `${subject?.kind ?? result.kind ?? 'task'} event`;
  if (result.status === 'failed') logger.error(`${what} not delivered`, keys);
  else if (result.status === 'rejected') logger.warn(`${what} rejected`, keys);
  else if (result.unconfirmed) logger.warn(`${what} sent, but Slack never answered`, keys);
  else logger.info(result.status === 'notified' ? `${what} notified` : `${what} skipped`, keys);
}
