import { readFileSync } from 'node:fs';
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { SourceConfig } from '../lambda/domain/config/config.js';
import { ValidationError } from '../lambda/domain/config/validation.js';
import {
  instanceRatePerSecond,
  MIN_SENDS_PER_INVOCATION,
  paceFitsInvocation,
  sendIntervalMs,
} from '../lambda/domain/delivery/pacing.js';
import { unreachableReason } from '../lambda/domain/delivery/routes.js';
import { NotifierError } from '../lambda/domain/errors.js';
import { parseClusterArn, partitionOfRegion } from '../lambda/domain/task/arn.js';
import { type FullConfig, parseFullConfig } from './deploy-schema.js';

/** The context key holding the configuration, and the one naming a JSON file instead. */
export const CONTEXT_KEY = 'ecsTaskNotifier';
export const CONTEXT_FILE_KEY = 'ecsTaskNotifierFile';

/**
 * A configuration that can be deployed: somewhere to post (the default webhook or channel, or
 * routes) and at least one cluster.
 */
export type DeployConfig = FullConfig & {
  sources: [SourceConfig, ...SourceConfig[]];
};

/** A bad deployment configuration; the message is one line, `ecsTaskNotifier.<key>: <problem>`. */
export class DeployConfigError extends NotifierError {
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`${key}: ${problem}`);
  }
}

/** The notifier function's timeout unless its construct is given another. */
export const DEFAULT_FUNCTION_TIMEOUT = Duration.seconds(60);

/**
 * Refuses a `maxConcurrency` whose per-instance pace could not send {@link MIN_SENDS_PER_INVOCATION}
 * messages in one invocation of `timeout`: events would then reach the dead-letter queue because of
 * pacing alone. The message names the largest value that fits.
 */
export function checkPaceFitsTimeout(maxConcurrency: number, timeout: Duration, root = CONTEXT_KEY): void {
  const timeoutMs = timeout.toMilliseconds();
  const fits = (instances: number) => paceFitsInvocation(instanceRatePerSecond(instances), timeoutMs);
  if (fits(maxConcurrency)) return;
  let largest = maxConcurrency - 1;
  while (largest > 0 && !fits(largest)) largest--;
  const interval = (sendIntervalMs(instanceRatePerSecond(maxConcurrency)) / 1000).toFixed(1);
  throw new DeployConfigError(
    `${root}.maxConcurrency`,
    `${largest > 0 ? `at most ${largest} fits` : 'no value fits'} the function's ${timeout.toSeconds()} s timeout, got ${maxConcurrency}: each instance would send one message every ${interval} s, too slow to send ${MIN_SENDS_PER_INVOCATION} in one invocation, so pacing alone could push events to the dead-letter queue`,
  );
}

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

/**
 * Validates a configuration for `cdk synth`: the shared schema, then what only a deployment
 * needs. Throws a {@link DeployConfigError} naming the key under `root`.
 */
export function parseDeployConfig(input: unknown, root = CONTEXT_KEY): DeployConfig {
  let config: FullConfig;
  try {
    config = parseFullConfig(input, root);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new DeployConfigError(error.field, error.message.slice(error.field.length + 1));
    }
    throw error;
  }
  if (!config.slackWebhookSecretArn && !config.slackChannel && config.routes.length === 0) {
    throw new DeployConfigError(
      `${root}.slackWebhookSecretArn`,
      'is required to deploy (or slackChannel, or routes): the ARN of the Secrets Manager secret holding the Slack webhook URL',
    );
  }
  checkBotToken(config, root);
  if (config.sources.length === 0) {
    throw new DeployConfigError(`${root}.sources`, 'must list at least one cluster to deploy');
  }
  checkOnePartition(config as DeployConfig, root);
  checkPaceFitsTimeout(config.maxConcurrency, DEFAULT_FUNCTION_TIMEOUT, root);
  if (config.batchSize > 10 && config.batchWindowSeconds < 1) {
    throw new DeployConfigError(
      `${root}.batchWindowSeconds`,
      `must be at least 1 when batchSize is over 10 (SQS requires a batching window for batches over 10), got ${config.batchWindowSeconds}`,
    );
  }
  if (!LOG_RETENTION_DAYS.includes(config.logRetentionDays)) {
    throw new DeployConfigError(
      `${root}.logRetentionDays`,
      `expected one of ${LOG_RETENTION_DAYS.join(', ')}, got ${config.logRetentionDays}`,
    );
  }
  if (Boolean(config.account) !== Boolean(config.region)) {
    const missing = config.account ? 'region' : 'account';
    throw new DeployConfigError(
      `${root}.${missing}`,
      'is required when account or region is set: give both, or neither',
    );
  }
  checkForwarderSettings(config as DeployConfig, root);
  return config as DeployConfig;
}

/**
 * A channel (app mode) is posted to with the bot token: naming one needs `slackBotTokenSecretArn`.
 * Names the first key that names a channel.
 */
function checkBotToken(config: FullConfig, root: string): void {
  if (config.slackBotTokenSecretArn) return;
  const key = config.slackChannel
    ? 'slackChannel'
    : config.routes.flatMap((route, i) => (route.channel ? [`routes[${i}].channel`] : []))[0];
  if (!key) return;
  throw new DeployConfigError(
    `${root}.slackBotTokenSecretArn`,
    `is required when ${key} names a channel: the ARN of the Secrets Manager secret holding the Slack app's bot token (xoxb-…), which posts to channels`,
  );
}

/**
 * Without `account` and `region` the app cannot tell where the notifier runs, so it adds no
 * forwarder and no bus policy: every cluster must then be in one account and region, or the events
 * of the others would never arrive.
 */
function checkForwarderSettings(config: DeployConfig, root: string): void {
  if (config.account && config.region) return;
  const home = parseClusterArn(config.sources[0].clusterArn);
  config.sources.forEach((source, index) => {
    const { account, region } = parseClusterArn(source.clusterArn);
    if (account === home.account && region === home.region) return;
    throw new DeployConfigError(
      `${root}.account`,
      `and region are required when the clusters are in more than one account or region: sources[${index}].clusterArn is in ${account} ${region}, sources[0] in ${home.account} ${home.region}; set them to where the notifier runs, and synth adds a forwarder stack for every other account and region (without one, those clusters' events never arrive)`,
    );
  });
}

/**
 * The one line `cdk synth` prints (on stderr) when a log tail is wanted but `logGroups` names no
 * group, so the function may read none: how to turn the tails on. `undefined` when nothing is missing.
 */
export function logTailHint(config: FullConfig, root = CONTEXT_KEY): string | undefined {
  const tailWanted = config.logTail !== false || config.sources.some((s) => s.logTail);
  if (config.logGroups.length > 0 || !tailWanted) return undefined;
  return `${root}.logGroups is empty: messages link each container's log stream but show no log lines; to show a failed container's last lines, list the groups the function may read, e.g. "logGroups": ["/ecs/batch-*"]`;
}

/**
 * The one line `cdk synth` prints (on stderr) when `events` lists `launch`: RunTask calls reach
 * EventBridge (as `AWS API Call via CloudTrail`) only where a CloudTrail trail logs management
 * events. `undefined` otherwise.
 */
export function launchHint(config: FullConfig, root = CONTEXT_KEY): string | undefined {
  if (!config.events.includes('launch')) return undefined;
  return `${root}.events includes "launch": RunTask calls reach EventBridge only in the accounts and regions where a CloudTrail trail logs management events (Write or All), e.g. a multi-Region trail in each account of your clusters; check with "aws cloudtrail get-event-selectors --trail-name NAME" (see docs/events.md)`;
}

/**
 * The one line `cdk synth` prints (on stderr) when Batch jobs are notified but no source lists
 * `jobQueues`: a job that fails before it gets a task is then caught by nobody. `undefined` otherwise.
 */
export function batchHint(config: FullConfig, root = CONTEXT_KEY): string | undefined {
  if (!config.events.includes('batch') || config.sources.some((s) => s.jobQueues)) return undefined;
  return `${root}.events includes "batch" but no source lists jobQueues: a job is told by the cluster its task ran on, so one that fails before it gets a task is not notified; list its queues, e.g. "jobQueues": ["arn:aws:batch:REGION:ACCOUNT:job-queue/NAME"]`;
}

/**
 * The one line `cdk synth` prints (on stderr) when the alarms would tell nobody: the topic the app
 * creates has no subscriber until `alarmEmail` is set or someone subscribes. `undefined` otherwise.
 */
export function alarmHint(config: DeployConfig, root = CONTEXT_KEY): string | undefined {
  if (config.alarmTopicArn || config.alarmEmail) return undefined;
  return `${root}.alarmEmail is not set: the alarms publish to a new SNS topic nobody is subscribed to (stack output AlarmTopicArn); set "alarmEmail": "ops@example.com", or subscribe to the topic`;
}

/**
 * Events cannot cross partitions and a role can only be granted its own partition's resources, so
 * the clusters, the notifier's region and the secret share one partition. Names the first key that
 * disagrees with the first cluster. (`replay` may mix partitions: it deploys nothing.)
 */
function checkOnePartition(config: DeployConfig, root: string): void {
  const partition = parseClusterArn(config.sources[0].clusterArn).partition;
  config.sources.forEach((source, index) => {
    const other = parseClusterArn(source.clusterArn).partition;
    if (other !== partition) {
      throw new DeployConfigError(
        `${root}.sources[${index}].clusterArn`,
        `is in partition ${other}, sources[0] in ${partition}: events cannot cross partitions, so one notifier serves one partition`,
      );
    }
  });
  if (config.region && partitionOfRegion(config.region) !== partition) {
    throw new DeployConfigError(
      `${root}.region`,
      `${config.region} is in partition ${partitionOfRegion(config.region)}, the clusters in ${partition}: events cannot cross partitions`,
    );
  }
  const secrets: [string, string | undefined][] = [
    ['slackWebhookSecretArn', config.slackWebhookSecretArn],
    ['slackBotTokenSecretArn', config.slackBotTokenSecretArn],
    ...config.routes.map((route, i): [string, string | undefined] => [
      `routes[${i}].webhookSecretArn`,
      route.webhookSecretArn,
    ]),
  ];
  for (const [key, arn] of secrets) {
    const secretPartition = arn?.split(':')[1];
    if (arn && secretPartition !== partition) {
      throw new DeployConfigError(
        `${root}.${key}`,
        `is in partition ${secretPartition}, the clusters in ${partition}: the function can read secrets of its own partition only`,
      );
    }
  }
}

/**
 * One line per route that can never take a task stop, because what it matches is filtered out
 * before routing (`outcomes`, `notifyOn`): `cdk synth` prints them as warnings on stderr.
 */
export function unreachableRouteWarnings(config: FullConfig, root = CONTEXT_KEY): string[] {
  return config.routes.flatMap((route, i) => {
    const why = unreachableReason(route, config);
    return why ? [`warning: ${root}.routes[${i}] (${route.name}) can never match: ${why}`] : [];
  });
}

/** The two ways to give the configuration: inline (an object, or JSON text from `-c`) or a file. */
export interface DeployContext {
  /** The `ecsTaskNotifier` context value. */
  readonly inline?: unknown;
  /** The `ecsTaskNotifierFile` context value: a path to a JSON file; wins over `inline`. */
  readonly file?: unknown;
}

/** Reads and validates the configuration from context values; throws a {@link DeployConfigError}. */
export function readDeployConfig(context: DeployContext): DeployConfig {
  if (context.file !== undefined) return parseDeployConfig(readJsonFile(context.file));
  if (context.inline === undefined) {
    throw new DeployConfigError(
      CONTEXT_KEY,
      `is required: set it in cdk.json, or pass -c ${CONTEXT_KEY}='{…}' or -c ${CONTEXT_FILE_KEY}=path.json`,
    );
  }
  return parseDeployConfig(
    typeof context.inline === 'string' ? parseJson(context.inline, CONTEXT_KEY) : context.inline,
  );
}

function readJsonFile(file: unknown): unknown {
  if (typeof file !== 'string' || file === '') {
    throw new DeployConfigError(CONTEXT_FILE_KEY, 'expected the path of a JSON file');
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new DeployConfigError(CONTEXT_FILE_KEY, `cannot read ${JSON.stringify(file)} (${code})`);
  }
  return parseJson(text, `${CONTEXT_FILE_KEY} ${JSON.stringify(file)}`);
}

function parseJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DeployConfigError(key, `is not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
}
