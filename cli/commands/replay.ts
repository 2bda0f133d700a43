import type { DescribeTasksFn } from '../../lambda/adapters/ecs.js';
import { createMemorySentLedger } from '../../lambda/adapters/sent-ledger.js';
import { DEFAULT_CONFIG } from '../../lambda/domain/config.js';
import { routesFor } from '../../lambda/domain/routes.js';
import { needsVpcLookup } from '../../lambda/domain/source.js';
import { ENV } from '../../lambda/environment.js';
import { deliverEvaluations } from '../../lambda/pipeline/deliver.js';
import { createReportEnricher, type TaskReportEnricher } from '../../lambda/pipeline/enrich.js';
import { evaluateInputs } from '../../lambda/pipeline/evaluate.js';
import { awsDescribeTasks } from '../aws-describe-tasks.js';
import { awsEnrichment } from '../aws-enrichment.js';
import { type Command, type Io, parseCommandArgs, UsageError } from '../command.js';
import { configFromEnvironment, loadConfig } from '../config-options.js';
import { loadDescribeTasksFiles } from '../describe-tasks-file.js';
import { type FileEvent, readEventFile } from '../event-files.js';
import { expandPaths } from '../event-paths.js';
import { loadLogEventsFiles } from '../log-events-file.js';
import { createReplayTally, resultJson, resultLine } from '../replay-output.js';
import { retryProgress } from '../retry-progress.js';
import { parseRouteOptions, replayRoutes } from '../route-options.js';
import { loadTaskDefinitionFiles } from '../task-definition-file.js';

const USAGE = `Usage: ecs-task-notifier replay [FILES or DIRECTORIES...] [options]

Replays saved EventBridge events through the same pipeline as the Lambda.
A file holds one event, a JSON array of events, JSON Lines, or an SQS batch (Records[].body).

Options:
  --config FILE            notifier configuration (the same schema as cdk.json's ecsTaskNotifier);
                           default: $NOTIFIER_CONFIG (JSON text, as 'local' prints it), else none
  --describe-tasks FILE    answer the cross-check from saved 'aws ecs describe-tasks' output (repeatable)
  --task-definition FILE   link each container's log stream from saved 'aws ecs describe-task-definition'
                           output (repeatable; matched by ARN, else family:revision)
  --logs FILE              the failed container's last log lines from saved 'aws logs get-log-events'
                           output, for every task (needs --task-definition)
  --logs STREAM=FILE       the same for that log stream only (e.g. ecs/import/<task ID>); repeatable
  --aws                    ask the real APIs: DescribeTasks, DescribeTaskDefinition, and GetLogEvents
                           for the groups logGroups names (default credential chain)
  --dry-run                build the messages but send nothing
  --webhook-url URL        Slack Incoming Webhook for every route (default: $SLACK_WEBHOOK_URL)
  --route NAME=URL         the webhook of one route of the configuration (repeatable; 'default'
                           names the route of slackWebhookSecretArn); wins over --webhook-url
  --json                   one JSON line per event on stdout
  --verbose                log every decision (JSON, on stderr)
  -h, --help               show this help

Exit status: 0 all notified or skipped, 1 any rejected or failed, 2 usage error or no events.`;

/** Events go through the pipeline in chunks, so DescribeTasks is batched and memory stays flat. */
const CHUNK = 100;

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
  if (values.aws && values['describe-tasks']?.length)
    throw new UsageError('use either --aws or --describe-tasks, not both');
  if (values.aws && (values['task-definition']?.length || values.logs?.length))
    throw new UsageError('use either --aws or --task-definition and --logs, not both');
  if (values.logs?.length && !values['task-definition']?.length)
    throw new UsageError(
      '--logs needs --task-definition FILE: the log streams are named by the task definition',
    );
  const webhookUrl = values['webhook-url'] ?? env.SLACK_WEBHOOK_URL;
  const routeUrls = parseRouteOptions(values.route ?? []);
  if (!values['dry-run'] && !webhookUrl && routeUrls.size === 0) {
    throw new UsageError(
      'no webhook URL: pass --webhook-url URL (or --route NAME=URL) or set SLACK_WEBHOOK_URL, or use --dry-run',
    );
  }
  if (webhookUrl && !/^https?:\/\/[^\s]+$/.test(webhookUrl))
    throw new UsageError('--webhook-url must be an http(s) URL');

  const config = values.config
    ? await loadConfig(values.config)
    : env[ENV.config]
      ? configFromEnvironment(env[ENV.config] as string)
      : DEFAULT_CONFIG;
  // Every path is looked at first, so a directory without events stops the run before any output.
  const sources = await expandPaths(positionals);
  // The AWS SDK loads only for --aws: a dry run over files starts faster without it.
  const describeTasks: DescribeTasksFn | undefined = values.aws
    ? await awsDescribeTasks(io)
    : values['describe-tasks']?.length
      ? await loadDescribeTasksFiles(values['describe-tasks'])
      : undefined;
  const lookupVpc =
    values.aws && needsVpcLookup(config)
      ? (await import('../../lambda/adapters/ec2.js')).createSubnetVpcLookup()
      : undefined;
  const evaluateDeps = {
    config,
    ...(describeTasks ? { describeTasks } : {}),
    ...(lookupVpc ? { lookupVpc } : {}),
  };
  const routes = await replayRoutes(config, {
    ...(values['dry-run'] ? {} : { routeUrls, ...(webhookUrl ? { webhookUrl } : {}) }),
    onRetry: retryProgress('replay', io),
    warn: (line) => io.err(line),
  });
  // Every result is printed; the decision log is for --verbose only.
  const logger = values.verbose
    ? (await import('../../lambda/adapters/logger.js')).createCliLogger(true)
    : undefined;
  // Without --aws or --task-definition nothing is read: messages say nothing about logs.
  const enrich: TaskReportEnricher | undefined = values.aws
    ? createReportEnricher({ config, ...(await awsEnrichment(config)), ...(logger ? { logger } : {}) })
    : values['task-definition']?.length
      ? createReportEnricher({
          config,
          describeTaskDefinition: await loadTaskDefinitionFiles(values['task-definition']),
          ...(values.logs?.length ? { readLogEvents: await loadLogEventsFiles(values.logs) } : {}),
          // Saved files are read as given: logGroups limits what is read from AWS, and nothing is.
          groupAllowed: () => true,
          retryDelaysMs: [],
          ...(logger ? { logger } : {}),
        })
      : undefined;
  // In memory: replaying the same task stop twice in one run notifies once.
  const ledger = createMemorySentLedger();
  const tally = createReplayTally();

  const flush = async (chunk: FileEvent[]) => {
    const evaluations = await evaluateInputs(chunk, evaluateDeps);
    const results = await deliverEvaluations(evaluations, {
      ...(enrich ? { enrich } : {}),
      routes,
      routeOf: (report) => routesFor(report, config),
      ledger,
      ...(logger ? { logger } : {}),
    });
    const lines = results.map((result, i) => {
      const item = chunk[i] as FileEvent;
      tally.add(result);
      return values.json
        ? resultJson(item.file, item.index, result)
        : resultLine(item.file, item.index, result);
    });
    if (io.outLines) io.outLines(lines);
    else for (const line of lines) io.out(line);
    await io.drain?.();
  };

  let chunk: FileEvent[] = [];
  const take = async (item: FileEvent) => {
    chunk.push(item);
    if (chunk.length >= CHUNK) {
      await flush(chunk);
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
  await flush(chunk);

  if (tally.events === 0) {
    const where = positionals.length === 1 ? positionals[0] : `the ${positionals.length} paths given`;
    throw new UsageError(`no events found in ${where}`);
  }
  const summary = tally.summary(Boolean(values['dry-run']));
  if (values.json) io.err(summary);
  else io.out(summary);
  return tally.succeeded() ? 0 : 1;
}

function parseOptions(argv: string[]) {
  return parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'describe-tasks': { type: 'string', multiple: true },
      'task-definition': { type: 'string', multiple: true },
      logs: { type: 'string', multiple: true },
      aws: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'webhook-url': { type: 'string' },
      route: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
  });
}
