import * as z from 'zod/mini';
import { BATCH_STATUSES } from '../batch/batch-job.js';
import { DEPLOYMENT_EVENT_NAMES } from '../deployment/deployment-event.js';
import { REPORT_KINDS } from '../report/report.js';
import { SERVICE_EVENT_NAMES } from '../service/service-event.js';
import { ArnError, parseClusterArn, partitionOfRegion, REGION } from '../task/arn.js';
import { OUTCOMES, TASK_STATUSES } from '../task/task.js';
import { channelIdProblem } from './slack-channel.js';
import { parseWith } from './validation.js';

export const ACCOUNT = /^\d{12}$/;
const SECRET_ARN = /^arn:(aws(?:-[a-z]+)*):secretsmanager:([^:]*):([^:]*):secret:(.+)$/;

/** A string checked by `problemOf`, which names what is wrong with it (or returns `undefined`). */
function checkedString(problemOf: (value: string) => string | undefined) {
  return z.string().check(
    z.superRefine((value, ctx) => {
      const message = problemOf(value);
      if (message) ctx.issues.push({ code: 'custom', message, input: value });
    }),
  );
}

/**
 * What makes an ARN's account and region deployable. Events may carry masked accounts
 * (`XXXXXXXXXXXX`, `123`) and are parsed leniently; configuration names real resources.
 */
function accountAndRegionProblem(partition: string, region: string, account: string, what: string) {
  if (!ACCOUNT.test(account)) return `expected a 12-digit account ID in the ${what}`;
  if (!REGION.test(region)) return `expected an AWS region like "us-east-1" in the ${what}`;
  const expected = partitionOfRegion(region);
  if (partition !== expected) return `expected partition "${expected}" for region ${region} in the ${what}`;
  return undefined;
}

const clusterArn = checkedString((value) => {
  try {
    const { partition, region, account } = parseClusterArn(value);
    return accountAndRegionProblem(partition, region, account, 'cluster ARN');
  } catch (error) {
    return error instanceof ArnError && error.part === 'region'
      ? 'expected an AWS region like "us-east-1" in the cluster ARN'
      : 'expected an ECS cluster ARN';
  }
});

const secretArn = checkedString((value) => {
  const [, partition = '', region = '', account = '', name = ''] = SECRET_ARN.exec(value) ?? [];
  if (!partition) return 'expected a Secrets Manager secret ARN';
  const problem = accountAndRegionProblem(partition, region, account, 'secret ARN');
  if (problem) return problem;
  // IAM matches the whole ARN: without the suffix the grant would match no secret.
  if (!/-[A-Za-z0-9]{6}$/.test(name)) {
    return 'expected the complete secret ARN, ending in the 6-character suffix Secrets Manager adds (e.g. "-AbCdEf")';
  }
  return undefined;
});

/** A Slack channel ID, for app mode (a name will not do). */
const channelId = checkedString(channelIdProblem);

/** At most this many lines of a failed container's log go in a message (about 1,500 characters hold them). */
export const MAX_LOG_TAIL_LINES = 50;

/**
 * How much of a failed container's log a message shows, and for which outcomes; `false` shows none.
 * Per source, it replaces the top-level setting.
 */
const LogTailSchema = z.union(
  [
    z.literal(false),
    z.strictObject({
      lines: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_LOG_TAIL_LINES)), 10),
      outcomes: z._default(
        z.array(z.enum(OUTCOMES)).check(z.minLength(1, 'must list at least one outcome')),
        ['failed'],
      ),
    }),
  ],
  'expected false, or an object such as {"lines": 10, "outcomes": ["failed"]}',
);

/** A CloudWatch Logs group name (its own characters only), or a prefix of one ending in `*`. */
const logGroupPattern = checkedString((value) => {
  const name = value.endsWith('*') ? value.slice(0, -1) : value;
  if (name === '') return 'expected a log group name or a prefix ending in "*" (e.g. "/ecs/batch-*")';
  if (!/^[\w./#-]+$/.test(name) || name.length > 512)
    return 'expected a log group name (letters, digits, "_", "-", "/", ".", "#"), or a prefix of one ending in "*"';
  return undefined;
});

const JOB_QUEUE_ARN = /^arn:(aws(?:-[a-z]+)*):batch:([^:]*):([^:]*):job-queue\/[A-Za-z0-9_-]{1,128}$/;

const jobQueueArn = checkedString((value) => {
  const [, partition = '', region = '', account = ''] = JOB_QUEUE_ARN.exec(value) ?? [];
  if (!partition)
    return 'expected a Batch job queue ARN like "arn:aws:batch:eu-west-1:111122223333:job-queue/nightly"';
  return accountAndRegionProblem(partition, region, account, 'job queue ARN');
});

/** The statuses a route may match: a task's lastStatus, a service or deployment event's name, a job's status. */
export const ROUTE_STATUSES = [
  ...new Set([...TASK_STATUSES, ...SERVICE_EVENT_NAMES, ...DEPLOYMENT_EVENT_NAMES, ...BATCH_STATUSES]),
] as [string, ...string[]];

const SourceSchema = z.strictObject({
  /** Shown on every message: which batch, which VPC. */
  label: z
    .string()
    .check(z.minLength(1, 'must not be empty'), z.maxLength(80, 'must be at most 80 characters')),
  clusterArn,
  vpcId: z.optional(
    z.string().check(z.regex(/^vpc-[0-9a-f]{1,17}$/, 'expected a VPC ID like "vpc-0abc1234"')),
  ),
  subnetIds: z.optional(
    z
      .array(
        z.string().check(z.regex(/^subnet-[0-9a-f]{1,17}$/, 'expected a subnet ID like "subnet-0abc1234"')),
      )
      .check(z.minLength(1, 'must list at least one subnet')),
  ),
  /** This source's log tail setting, instead of the top-level one. */
  logTail: z.optional(LogTailSchema),
  /**
   * Batch job queues whose jobs come from this source (ARNs, in the cluster's account and region):
   * a job that failed before it got a task on the cluster is told by its queue.
   */
  jobQueues: z.optional(z.array(jobQueueArn).check(z.minLength(1, 'must list at least one job queue'))),
});

const ROUTE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** How a task that succeeded is shown: a full card, one line, or not at all. */
const SuccessesSchema = z.enum(['card', 'line', 'none']);

/** Who a route pings, from configuration only: nothing from an event can become a mention. */
const MentionSchema = z.strictObject({
  /** Outcomes that ping; a digest pings when any of its tasks has one. */
  onOutcomes: z._default(z.array(z.enum(OUTCOMES)).check(z.minLength(1, 'must list at least one outcome')), [
    'failed',
  ]),
  users: z._default(
    z.array(z.string().check(z.regex(/^[UW][A-Z0-9]{2,20}$/, 'expected a Slack user ID like "U024BE7LH"'))),
    [],
  ),
  groups: z._default(
    z.array(
      z.string().check(z.regex(/^S[A-Z0-9]{2,20}$/, 'expected a Slack user group ID like "S0614TZR7"')),
    ),
    [],
  ),
  here: z._default(z.boolean(), false),
});

/** Which task stops a route takes: every listed condition must hold; an absent one holds always. */
const MatchSchema = z.strictObject({
  /** Source labels. */
  sources: z.optional(
    z
      .array(z.string().check(z.minLength(1, 'must not be empty')))
      .check(z.minLength(1, 'must list one at least')),
  ),
  /** Task definition families: names, or prefixes ending in `*`. */
  families: z.optional(
    z
      .array(
        z
          .string()
          .check(
            z.regex(
              /^[A-Za-z0-9_-]*\*?$/,
              'expected a family name, or a prefix ending in * (letters, digits, - and _)',
            ),
            z.minLength(1, 'must not be empty'),
          ),
      )
      .check(z.minLength(1, 'must list one at least')),
  ),
  outcomes: z.optional(z.array(z.enum(OUTCOMES)).check(z.minLength(1, 'must list one at least'))),
  /** A task's lastStatus, a service or deployment event's name, a Batch job's status. */
  statuses: z.optional(z.array(z.enum(ROUTE_STATUSES)).check(z.minLength(1, 'must list one at least'))),
  /** Kinds of event: `task`, `service`, `deployment`, `launch`, `batch`. */
  kinds: z.optional(z.array(z.enum(REPORT_KINDS)).check(z.minLength(1, 'must list one at least'))),
});

/**
 * A channel: which task stops go there, where it posts (its webhook's secret, or its channel ID
 * with the bot token: exactly one), who it pings.
 */
const RouteSchema = z.strictObject({
  name: z
    .string()
    .check(z.regex(ROUTE_NAME, 'expected a name of letters, digits, - and _ (at most 64 characters)')),
  match: z._default(MatchSchema, {}),
  /** The complete ARN of the secret holding this route's webhook URL. */
  webhookSecretArn: z.optional(secretArn),
  /** App mode: the channel's ID, posted to with the bot token of `slackBotTokenSecretArn`. */
  channel: z.optional(channelId),
  mention: z.optional(MentionSchema),
  /** This route's own threshold; the top-level one by default. */
  digestThreshold: z.optional(z.number().check(z.int(), z.minimum(1))),
  /** This route's way of showing successes; the top-level one by default. */
  successes: z.optional(SuccessesSchema),
});

/**
 * What the notifier reads at run time, in the Lambda and `replay` alike: which clusters, what to
 * notify, how to show it, where to send it. A deployment adds keys of its own (lib/deploy-schema.ts);
 * the stack ships only these to the function.
 */
export const RUNTIME_CONFIG_SHAPE = {
  sources: z._default(z.array(SourceSchema), []),
  /**
   * The kinds of event notified: `task` (task stops), `service` (a service whose tasks cannot
   * start or be placed), `deployment` (a deployment that failed or rolls back), `launch` (a
   * RunTask that launched nothing), `batch` (a Batch job that failed).
   */
  events: z._default(
    z.array(z.enum(REPORT_KINDS)).check(
      z.minLength(1, 'must list at least one kind'),
      z.refine((kinds) => new Set(kinds).size === kinds.length, 'must list each kind once'),
    ),
    ['task'],
  ),
  notifyOn: z._default(
    z.array(z.enum(TASK_STATUSES)).check(z.minLength(1, 'must list at least one status')),
    ['STOPPED'],
  ),
  /** Tasks whose `group` starts with one of these are not notified (e.g. `service:`). */
  ignoreGroups: z._default(z.array(z.string().check(z.minLength(1, 'must not be empty'))), []),
  /** Only these outcomes are notified; all of them by default. */
  outcomes: z._default(z.array(z.enum(OUTCOMES)).check(z.minLength(1, 'must list at least one outcome')), [
    ...OUTCOMES,
  ]),
  /** More than this many stops of one source and family in a batch become one digest message. */
  digestThreshold: z._default(z.number().check(z.int(), z.minimum(1)), 5),
  /** A task that succeeded: `card` (all details), `line` (one line with a link) or `none` (not sent). */
  successes: z._default(SuccessesSchema, 'line'),
  /** The failed container's last log lines in its message; `false` turns them off. */
  logTail: z._default(LogTailSchema, { lines: 10, outcomes: ['failed'] }),
  /** The log groups the notifier may read a tail from: names, or prefixes ending in `*`; none: no tail. */
  logGroups: z._default(
    z.array(logGroupPattern).check(z.maxLength(50, 'must list at most 50 groups or prefixes')),
    [],
  ),
  /** The complete ARN of the secret holding the default route's webhook URL. */
  slackWebhookSecretArn: z.optional(secretArn),
  /** App mode: the default route's channel ID, instead of `slackWebhookSecretArn`. */
  slackChannel: z.optional(channelId),
  /** App mode: the complete ARN of the secret holding the Slack app's bot token (`xoxb-…`). */
  slackBotTokenSecretArn: z.optional(secretArn),
  /**
   * Channels by what they take; a task stop no route takes goes to the default route
   * (`slackWebhookSecretArn` or `slackChannel`).
   */
  routes: z._default(z.array(RouteSchema), []),
  /** `all`: a task stop goes to every route that takes it; `first`: to the first one only. */
  routeMode: z._default(z.enum(['all', 'first']), 'all'),
  /**
   * The role to read each other account's tasks, task definitions, subnets and logs with, by
   * `"ACCOUNT:REGION"`: a forwarder stack's reader role. Written by the stack; set it by hand only
   * for `replay --aws` across accounts.
   */
  readerRoles: z._default(
    z.record(
      z.string().check(z.regex(/^\d{12}:[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/, 'expected "ACCOUNT:REGION" keys')),
      z
        .string()
        .check(z.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'expected an IAM role ARN')),
    ),
    {},
  ),
};

/**
 * What must hold across keys: route names unique, `match.sources` naming configured sources, and
 * each source's job queues in its cluster's account and region, and each route (and the default
 * one) posting one way: a webhook secret or a channel.
 */
export const checkRoutes = z.superRefine(
  (
    config: {
      sources: { label: string; clusterArn: string; jobQueues?: string[] }[];
      slackWebhookSecretArn?: string;
      slackChannel?: string;
      routes: { name: string; match: { sources?: string[] }; webhookSecretArn?: string; channel?: string }[];
    },
    ctx,
  ) => {
    for (const [i, source] of config.sources.entries()) {
      const cluster = parseClusterArn(source.clusterArn);
      for (const [j, queue] of (source.jobQueues ?? []).entries()) {
        const [, , region, account] = JOB_QUEUE_ARN.exec(queue) ?? [];
        if (region !== cluster.region || account !== cluster.account)
          ctx.issues.push({
            code: 'custom',
            path: ['sources', i, 'jobQueues', j],
            message: `must be in the cluster's account and region (${cluster.account}, ${cluster.region})`,
            input: queue,
          });
      }
    }
    const labels = new Set(config.sources.map((s) => s.label));
    const names = new Set<string>();
    if (config.slackWebhookSecretArn && config.slackChannel)
      ctx.issues.push({
        code: 'custom',
        path: ['slackChannel'],
        message:
          'must not be given with slackWebhookSecretArn: the default route posts one way, to a channel or a webhook',
        input: config.slackChannel,
      });
    for (const [i, route] of config.routes.entries()) {
      if (route.webhookSecretArn && route.channel)
        ctx.issues.push({
          code: 'custom',
          path: ['routes', i, 'channel'],
          message:
            'must not be given with webhookSecretArn: a route posts one way, to a channel or a webhook',
          input: route.channel,
        });
      if (!route.webhookSecretArn && !route.channel)
        ctx.issues.push({
          code: 'custom',
          path: ['routes', i, 'webhookSecretArn'],
          message:
            'is required, or channel: a route posts to a webhook (the secret holding its URL) or, with slackBotTokenSecretArn, to a channel by ID',
          input: undefined,
        });
      if (names.has(route.name))
        ctx.issues.push({
          code: 'custom',
          path: ['routes', i, 'name'],
          message: 'is the name of an earlier route: route names must be unique',
          input: route.name,
        });
      names.add(route.name);
      for (const [j, label] of (route.match.sources ?? []).entries()) {
        if (!labels.has(label))
          ctx.issues.push({
            code: 'custom',
            path: ['routes', i, 'match', 'sources', j],
            message: `names no configured source (the sources are ${[...labels].map((l) => JSON.stringify(l)).join(', ') || 'none'})`,
            input: label,
          });
      }
    }
  },
);

/** The run-time configuration: the Lambda's bundled file and `NOTIFIER_CONFIG`; unknown keys refused. */
export const NotifierConfigSchema = z.strictObject(RUNTIME_CONFIG_SHAPE).check(checkRoutes);

export type NotifierConfig = z.output<typeof NotifierConfigSchema>;
export type SourceConfig = NotifierConfig['sources'][number];
export type LogTailConfig = NotifierConfig['logTail'];
export type RouteConfig = NotifierConfig['routes'][number];
export type MentionConfig = NonNullable<RouteConfig['mention']>;

/** Reads configuration, throwing a ValidationError whose message names the key under `root`. */
export function parseNotifierConfig(input: unknown, root = ''): NotifierConfig {
  return parseWith(NotifierConfigSchema, input, root);
}

/** The embedded default: no sources configured, STOPPED tasks only. */
export const DEFAULT_CONFIG: NotifierConfig = parseNotifierConfig({});
