import type { DescribeJobsFn } from './adapters/batch.js';
import type { DescribeTasksFn } from './adapters/ecs.js';
import type { DescribeServicesFn } from './adapters/ecs-services.js';
import { createMemoryLiveLedger, type LiveLedger } from './adapters/live-ledger.js';
import type { ReadLogEventsFn } from './adapters/log-events.js';
import { createMemoryRepeatLedger, type RepeatLedger } from './adapters/repeat-ledger.js';
import type { SentLedger } from './adapters/sent-ledger.js';
import type { SlackSender } from './adapters/slack.js';
import type { DescribeTaskDefinitionFn } from './adapters/task-definitions.js';
import type { NotifierConfig } from './domain/config/config.js';
import { DEFAULT_ROUTE, routeSettings, routesFor } from './domain/delivery/routes.js';
import { describeUnexpected } from './domain/errors.js';
import type { Report } from './domain/report/report.js';
import type { SubnetVpcLookup } from './domain/report/source.js';
import {
  type DecisionLogger,
  deliverEvaluations,
  type EventResult,
  type RouteTarget,
} from './pipeline/deliver.js';
import { createReportEnricher, ENRICH_BUDGET_MS } from './pipeline/enrich.js';
import { type EventInput, evaluateInputs } from './pipeline/evaluate.js';
import { holdRepeats } from './pipeline/repeats.js';

/** Where the failed container's last lines come from, and whether `logGroups` bounds what is read. */
export interface LogSource {
  read: ReadLogEventsFn;
  /**
   * Files the user gave (`replay --logs`): read whatever group they name. Otherwise only the
   * groups `logGroups` lists are read, and none when it lists none.
   */
  anyGroup?: boolean;
  /** Waits before reading an empty stream again (late logs). @default [1000, 2000] */
  retryDelaysMs?: readonly number[];
}

/** What the notifier reads from and posts to; whatever is omitted is not used. */
export interface NotifierAdapters {
  /**
   * The sender of a route's webhook. Omitted: a dry run, where messages are built, none is sent,
   * and each counts as notified. Answers `undefined`: the route has no webhook, its task stops
   * are skipped, naming it. Throws: the route cannot send now (its secret could not be read), its
   * task stops fail, to be retried, and the other routes send.
   */
  senderFor?: (route: string) => SlackSender | undefined | Promise<SlackSender | undefined>;
  /** The task cross-check; omitted: `not-run`. */
  describeTasks?: DescribeTasksFn;
  /** The service and deployment cross-check (revision, deployments, subnets); omitted: `not-run`. */
  describeServices?: DescribeServicesFn;
  /** The Batch job cross-check; omitted: `not-run`. */
  describeJobs?: DescribeJobsFn;
  /** Log links; omitted: messages say nothing about logs. */
  describeTaskDefinition?: DescribeTaskDefinitionFn;
  /** Log tails (needs `describeTaskDefinition`, which names the streams). */
  logs?: LogSource;
  /** Subnet → VPC, for sources told apart by `vpcId` only. */
  lookupVpc?: SubnetVpcLookup;
  /** Which task stops were sent; omitted, duplicates are only caught within one `notify`. */
  ledger?: SentLedger;
  /** Counts repeats of a service's event per hour; omitted, they are counted in this process only. */
  repeats?: RepeatLedger;
  /** App-mode routes' live messages (storms updated in place); omitted, kept in this process only. */
  live?: LiveLedger;
  logger?: DecisionLogger;
  now?: () => number;
}

export interface NotifyOptions {
  /** Epoch milliseconds after which no send starts or waits. @default none */
  deadline?: number;
}

export interface Notifier {
  /**
   * Every input through evaluate → enrich → route → deliver; one result per input, in order.
   * Never throws for an input: each is judged alone. Calls may overlap: each route delivers
   * their messages in call order, and one route waiting never holds back another.
   */
  notify(inputs: readonly EventInput[], options?: NotifyOptions): Promise<EventResult[]>;
}

/**
 * The one place the pipeline is assembled, for the Lambda, `replay` and the demo alike: they
 * choose adapters, this decides the rest (whether log tails are read, which routes a task stop
 * takes, each route's threshold and mentions).
 */
export function createNotifier(config: NotifierConfig, adapters: NotifierAdapters): Notifier {
  const { logger } = adapters;
  const tailsRead = adapters.logs && (adapters.logs.anyGroup || config.logGroups.length > 0);
  const enrich = adapters.describeTaskDefinition
    ? createReportEnricher({
        config,
        describeTaskDefinition: adapters.describeTaskDefinition,
        ...(tailsRead && adapters.logs ? { readLogEvents: adapters.logs.read } : {}),
        ...(adapters.logs?.anyGroup ? { groupAllowed: () => true } : {}),
        ...(adapters.logs?.retryDelaysMs ? { retryDelaysMs: adapters.logs.retryDelaysMs } : {}),
        ...(logger ? { logger } : {}),
        ...(adapters.now ? { now: adapters.now } : {}),
      })
    : undefined;
  const routeOrder = [DEFAULT_ROUTE, ...config.routes.map((r) => r.name)];
  const routeOf = (report: Report) => routesFor(report, config);
  const lanes = new Map<string, Promise<void>>();
  const repeats = adapters.repeats ?? createMemoryRepeatLedger();
  const live = adapters.live ?? createMemoryLiveLedger();

  /** The targets of the routes these reports take, in the configured order. */
  const targetsFor = async (reports: readonly Report[]): Promise<Map<string, RouteTarget>> => {
    const wanted = new Set(reports.flatMap(routeOf));
    const names = routeOrder.filter((name) => wanted.has(name));
    const targets = await Promise.all(names.map((name) => targetOf(name)));
    return new Map(
      names.flatMap((name, i) => (targets[i] ? [[name, targets[i] as RouteTarget] as const] : [])),
    );
  };

  const targetOf = async (name: string): Promise<RouteTarget | undefined> => {
    const settings = routeSettings(name, config);
    if (!adapters.senderFor) return settings;
    try {
      const sender = await adapters.senderFor(name);
      return sender ? { ...settings, sender } : undefined;
    } catch (error) {
      const failure = describeUnexpected(error);
      logger?.error('route webhook unavailable', { route: name, error: failure });
      return { ...settings, failure };
    }
  };

  /** Runs a route's work after the work it was given before, and before what comes after. */
  const lane = (route: string, work: () => Promise<void>): Promise<void> => {
    const run = (lanes.get(route) ?? Promise.resolve()).then(work);
    const settled = run.catch(() => undefined);
    lanes.set(route, settled);
    void settled.then(() => {
      if (lanes.get(route) === settled) lanes.delete(route);
    });
    return run;
  };

  return {
    async notify(inputs, options = {}) {
      const evaluated = await evaluateInputs(inputs, {
        config,
        ...(adapters.describeTasks ? { describeTasks: adapters.describeTasks } : {}),
        ...(adapters.describeServices ? { describeServices: adapters.describeServices } : {}),
        ...(adapters.describeJobs ? { describeJobs: adapters.describeJobs } : {}),
        ...(adapters.lookupVpc ? { lookupVpc: adapters.lookupVpc } : {}),
        // Task definitions are read while DescribeTasks runs.
        ...(enrich ? { onTasks: (tasks) => enrich.prefetch(tasks) } : {}),
      });
      // An impaired service's event every few minutes: the first of each hour is sent, the rest counted.
      const evaluations = await holdRepeats(evaluated, repeats);
      const ready = evaluations.flatMap((e) => (e.status === 'ready' ? [e.report] : []));
      return deliverEvaluations(evaluations, {
        ...(enrich ? { enrich, enrichBudgetMs: ENRICH_BUDGET_MS } : {}),
        routes: await targetsFor(ready),
        routeOf,
        lane,
        ...(adapters.ledger ? { ledger: adapters.ledger } : {}),
        live,
        ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
        ...(logger ? { logger } : {}),
        ...(adapters.now ? { now: adapters.now } : {}),
      });
    },
  };
}
