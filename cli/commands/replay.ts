import { createMemorySentLedger } from '../../lambda/adapters/sent-ledger.js';
import { webhookUrlProblem } from '../../lambda/adapters/slack-errors.js';
import { DEFAULT_CONFIG, type NotifierConfig } from '../../lambda/domain/config/config.js';
import { REPORT_KINDS, type ReportKind } from '../../lambda/domain/report/report.js';
import { ENV } from '../../lambda/environment.js';
import { createNotifier, type NotifierAdapters } from '../../lambda/notifier.js';
import type { EventResult } from '../../lambda/pipeline/deliver.js';
import { awsDescribeTasks } from '../aws-describe-tasks.js';
import { type Command, type Io, parseCommandArgs, UsageError } from '../command.js';
import { configFromEnvironment, loadConfig } from '../config-options.js';
import { loadDescribeJobsFiles } from '../describe-jobs-file.js';
import { loadDescribeServicesFiles } from '../describe-services-file.js';
import { loadDescribeTasksFiles } from '../describe-tasks-file.js';
import { type FileEvent, readEventFile } from '../event-files.js';
import { expandPaths } from '../event-paths.js';
import { loadLogEventsFiles } from '../log-events-file.js';
import { createOrderedWindow } from '../ordered-window.js';
import { createReplayTally, resultJson, resultLine } from '../replay-output.js';
import { retryProgress } from '../retry-progress.js';
import {
  checkChannelOption,
  checkTokenOption,
  checkUrlOption,
  parseRouteOptions,
  type ReplaySenderOptions,
  replaySenders,
} from '../route-options.js';
import { loadTaskDefinitionFiles } from '../task-definition-file.js';
import { shown } from '../visible-text.js';

const USAGE = `Usage: ecs-task-notifier replay [FILES or DIRECTORIES...] [options]

Replays saved EventBridge events through the same pipeline as the Lambda.
A file holds one event, a JSON array of events, JSON Lines, or an SQS batch (Records[].body).

Options:
  --config FILE            notifier configuration (the same schema as cdk.json's ecsTaskNotifier);
                           default: $NOTIFIER_CONFIG (JSON text, as 'local' prints it), else none
  --events LIST            the kinds to notify, instead of the configuration's events: any of
                           task,service,deployment,launch,batch (comma-separated)
  --describe-tasks FILE    answer the cross-check from saved 'aws ecs describe-tasks' output (repeatable)
  --describe-services FILE answer the service and deployment cross-check from saved
                           'aws ecs describe-services' output (repeatable)
  --describe-jobs FILE     answer the Batch job cross-check from saved 'aws batch describe-jobs'
                           output (repeatable)
  --task-definition FILE   link each container's log stream from saved 'aws ecs describe-task-definition'
                           output (repeatable; matched by ARN, else family:revision)
  --logs FILE              the failed container's last log lines from saved 'aws logs get-log-events'
                           output, for every task (needs --task-definition)
  --logs STREAM=FILE       the same for that log stream only (e.g. ecs/import/<task ID>); repeatable
  --aws                    ask the real APIs: DescribeTasks, DescribeTaskDefinition, GetLogEvents for
                           the groups logGroups names, DescribeServices and Batch DescribeJobs for
                           the kinds that need them (default credential chain)
  --dry-run                build the messages but send nothing
  --webhook-url URL        Slack Incoming Webhook for every route (default: $SLACK_WEBHOOK_URL, for
                           the routes no option nor configured channel names)
  --slack-token TOKEN      Slack app's bot token (xoxb-…), to post to channels through the Web API
                           (default: $SLACK_BOT_TOKEN); with it, routes post to their configured channel
  --channel ID             a channel (C0123…) for every route, posted to with the bot token
  --route NAME=URL|ID      one route's webhook, or its channel by ID (repeatable; 'default' names
                           the route of slackWebhookSecretArn or slackChannel); wins over the rest
  --slack-api-url URL      Slack's Web API (default: $SLACK_API_URL, else https://slack.com/api/);
                           a local Slack's is printed by 'local'
  --json                   one JSON line per event on stdout
  --verbose                log every decision (JSON, on stderr)
  -h, --help               show this help

Exit status: 0 all notified or skipped, 1 any rejected or failed, 2 usage error or no events.`;

/** Events go through the pipeline in chunks, so DescribeTasks is batched and memory stays flat. */
const CHUNK = 100;
/** Chunks in the pipeline at once: enough that one route's wait never stalls the others. */
const CHUNKS_IN_FLIGHT = 16;

export const replayCommand: Command = {
  name: 'replay',
  usage: USAGE,
  run: (argv, io) => runReplay(argv, io),
};

export async function runReplay(
  argv: string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  if (positionals.length === 0) throw new UsageError('give at least one event file or directory');
  const url = positionals.findIndex(
    (p) => /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || /(^|\.)slack\.com\//i.test(p),
  );
  if (url !== -1)
    throw new UsageError(
      `the ${url + 1 === 1 ? 'first' : `#${url + 1}`} argument is a URL, not an event file: give a webhook as --webhook-url URL or SLACK_WEBHOOK_URL`,
    );
  const token = positionals.findIndex((p) => /^(xoxe\.)?(xox[a-z]|xapp)-/.test(p));
  if (token !== -1)
    throw new UsageError(
      `the ${token + 1 === 1 ? 'first' : `#${token + 1}`} argument is a Slack token, not an event file: give it as --slack-token TOKEN or SLACK_BOT_TOKEN`,
    );
  for (const option of ['describe-tasks', 'describe-services', 'describe-jobs'] as const)
    if (values.aws && values[option]?.length)
      throw new UsageError(`use either --aws or --${option}, not both`);
  if (values.aws && (values['task-definition']?.length || values.logs?.length))
    throw new UsageError('use either --aws or --task-definition and --logs, not both');
  if (values.logs?.length && !values['task-definition']?.length)
    throw new UsageError(
      '--logs needs --task-definition FILE: the log streams are named by the task definition',
    );
  const destinations = destinationOptions(values, env);

  const events = values.events === undefined ? undefined : parseEventsOption(values.events);
  const loaded = values.config
    ? await loadConfig(values.config)
    : env[ENV.config]
      ? configFromEnvironment(env[ENV.config] as string)
      : DEFAULT_CONFIG;
  const config = events ? { ...loaded, events } : loaded;
  // Every path is looked at first, so a directory without events stops the run before any output.
  const sources = await expandPaths(positionals);
  const notifier = createNotifier(config, {
    ...(values['dry-run']
      ? {}
      : {
          senderFor: await replaySenders(config, {
            ...destinations,
            onRetry: retryProgress('replay', io),
            warn: (line) => io.err(line),
          }),
        }),
    ...(await readersFor(values, config, io)),
    // In memory: replaying the same task stop twice in one run notifies once.
    ledger: createMemorySentLedger(),
    // Every result is printed; the decision log is for --verbose only.
    ...(values.verbose
      ? { logger: (await import('../../lambda/adapters/logger.js')).createCliLogger(true) }
      : {}),
  });
  const tally = createReplayTally();
  const print = (chunk: FileEvent[], results: EventResult[]) => {
    const lines = results.map((result, i) => {
      const item = chunk[i] as FileEvent;
      tally.add(result);
      return values.json
        ? resultJson(item.file, item.index, result)
        : resultLine(item.file, item.index, result);
    });
    if (io.outLines) io.outLines(lines);
    else for (const line of lines) io.out(line);
  };
  // Chunks overlap, each route keeping its own order (the notifier's lanes), so a route that waits
  // out a 429 holds back no other; results still print in input order.
  const window = createOrderedWindow<FileEvent[], EventResult[]>(CHUNKS_IN_FLIGHT, (chunk) =>
    notifier.notify(chunk),
  );

  let chunk: FileEvent[] = [];
  const take = async (item: FileEvent) => {
    chunk.push(item);
    if (chunk.length >= CHUNK) {
      for (const done of await window.push(chunk)) print(done.input, done.output);
      await io.drain?.();
      chunk = [];
    }
  };
  for (const source of sources) {
    if (source.error !== undefined) {
      await take({ file: source.file, error: source.error });
      continue;
    }
    for await (const items of readEventFile(source.file)) for (const item of items) await take(item);
  }
  if (chunk.length > 0) for (const done of await window.push(chunk)) print(done.input, done.output);
  for (const done of await window.drain()) print(done.input, done.output);

  if (tally.events === 0) {
    const where =
      positionals.length === 1 ? shown(positionals[0] as string) : `the ${positionals.length} paths given`;
    throw new UsageError(`no events found in ${where}`);
  }
  const summary = tally.summary(Boolean(values['dry-run']));
  if (values.json) io.err(summary);
  else io.out(summary);
  return tally.succeeded() ? 0 : 1;
}

type ReplayValues = ReturnType<typeof parseOptions>['values'];

/**
 * Where a replay posts, from its options and environment, each checked before anything is read:
 * a bad URL, token or channel is refused saying which option and what is wrong, never repeating
 * a secret. Posting needs somewhere to post, unless `--dry-run`.
 */
function destinationOptions(values: ReplayValues, env: NodeJS.ProcessEnv): ReplaySenderOptions {
  if (values['webhook-url'] && values.channel)
    throw new UsageError(
      'use either --webhook-url or --channel for every route, not both (--route NAME=… for one)',
    );
  if (values['webhook-url']) checkUrlOption('--webhook-url', values['webhook-url']);
  if (values.channel) checkChannelOption('--channel', values.channel);
  const routes = parseRouteOptions(values.route ?? []);
  const fallbackUrl = env[ENV.webhookUrl];
  if (fallbackUrl && !values['webhook-url']) checkUrlOption(ENV.webhookUrl, fallbackUrl);
  const token = values['slack-token'] ?? env[ENV.botToken];
  if (token) checkTokenOption(values['slack-token'] ? '--slack-token' : ENV.botToken, token);
  const apiUrl = values['slack-api-url'] ?? env[ENV.apiUrl];
  const problem = apiUrl === undefined ? undefined : webhookUrlProblem(apiUrl);
  if (problem)
    throw new UsageError(
      `${values['slack-api-url'] ? '--slack-api-url' : ENV.apiUrl}: the Slack API URL is malformed: ${problem}`,
    );
  const everyRoute = values['webhook-url']
    ? { url: values['webhook-url'] }
    : values.channel
      ? { channel: values.channel }
      : undefined;
  if (!values['dry-run'] && !everyRoute && routes.size === 0 && !fallbackUrl && !token) {
    throw new UsageError(
      'nowhere to post: pass --webhook-url URL, or --slack-token TOKEN with --channel ID (or --route NAME=URL|ID), or set SLACK_WEBHOOK_URL or SLACK_BOT_TOKEN, or use --dry-run',
    );
  }
  return {
    routes,
    ...(everyRoute ? { everyRoute } : {}),
    ...(fallbackUrl ? { fallbackUrl } : {}),
    ...(token ? { slack: { token, ...(apiUrl ? { apiUrl } : {}) } } : {}),
  };
}

/**
 * Where the cross-check, log links and log tails come from: the real APIs (`--aws`), saved files,
 * or nothing. The AWS SDK loads only for `--aws`: a dry run over files starts faster without it.
 */
async function readersFor(
  values: ReplayValues,
  config: NotifierConfig,
  io: Io,
): Promise<
  Pick<
    NotifierAdapters,
    'describeTasks' | 'describeTaskDefinition' | 'logs' | 'lookupVpc' | 'describeServices' | 'describeJobs'
  >
> {
  if (values.aws) {
    const { awsReaders } = await import('../../lambda/aws-adapters.js');
    return { ...awsReaders(config), describeTasks: await awsDescribeTasks(io, config.readerRoles) };
  }
  return {
    ...(values['describe-tasks']?.length
      ? { describeTasks: await loadDescribeTasksFiles(values['describe-tasks']) }
      : {}),
    ...(values['describe-services']?.length
      ? { describeServices: await loadDescribeServicesFiles(values['describe-services']) }
      : {}),
    ...(values['describe-jobs']?.length
      ? { describeJobs: await loadDescribeJobsFiles(values['describe-jobs']) }
      : {}),
    ...(values['task-definition']?.length
      ? { describeTaskDefinition: await loadTaskDefinitionFiles(values['task-definition']) }
      : {}),
    // Saved files are read as given: logGroups limits what is read from AWS, and nothing is.
    ...(values.logs?.length
      ? { logs: { read: await loadLogEventsFiles(values.logs), anyGroup: true, retryDelaysMs: [] } }
      : {}),
  };
}

/** `--events task,service`: kinds known, each once; a bad one is a usage error naming it. */
function parseEventsOption(value: string): ReportKind[] {
  const kinds = value.split(',').map((k) => k.trim());
  for (const kind of kinds)
    if (!(REPORT_KINDS as readonly string[]).includes(kind))
      throw new UsageError(
        `--events: expected kinds from ${REPORT_KINDS.join(', ')} (comma-separated), got ${JSON.stringify(kind.slice(0, 40))}`,
      );
  if (new Set(kinds).size !== kinds.length) throw new UsageError('--events: list each kind once');
  return kinds as ReportKind[];
}

function parseOptions(argv: string[]) {
  return parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      events: { type: 'string' },
      'describe-tasks': { type: 'string', multiple: true },
      'describe-services': { type: 'string', multiple: true },
      'describe-jobs': { type: 'string', multiple: true },
      'task-definition': { type: 'string', multiple: true },
      logs: { type: 'string', multiple: true },
      aws: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'webhook-url': { type: 'string' },
      'slack-token': { type: 'string' },
      channel: { type: 'string' },
      'slack-api-url': { type: 'string' },
      route: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
  });
}
