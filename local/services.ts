import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { startEcsApi } from './ecs-api.js';
import type { RunningServer } from './http.js';
import { type KindExamples, kindExamples } from './kind-examples.js';
import { type LogsApi, startLogsApi } from './logs-api.js';
import { snapshotsFromTasks, startMetadataServer } from './metadata-server.js';
import { type SlackSink, startSlackSink } from './slack-sink.js';
import { generateLocalTasks, type LocalTask } from './tasks.js';

export const SERVICE_NAMES = ['metadata', 'ecs-api', 'slack-sink', 'logs-api'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface LocalServices {
  tasks: LocalTask[];
  /** A service, deployment, RunTask and Batch job event of the last source; the ECS API describes them. */
  kinds: KindExamples;
  metadata: RunningServer;
  ecsApi: RunningServer;
  sink: SlackSink;
  logsApi: LogsApi;
  close(): Promise<void>;
}

export interface LocalServicesOptions {
  host?: string;
  /** The metadata endpoint's port; the ECS API, the sink and the Logs API take the next three. `0`: free ports. */
  port?: number;
  /** The sink's rate limit (messages per second). */
  ratePerSecond?: number;
}

/** The four services, serving the example tasks generated from `config`. */
export async function startLocalServices(
  config: NotifierConfig,
  options: LocalServicesOptions = {},
): Promise<LocalServices> {
  const tasks = generateLocalTasks(config);
  const kinds = localKindExamples(config);
  const at = (offset: number) => ({ host: options.host, port: options.port ? options.port + offset : 0 });
  const started: RunningServer[] = [];
  try {
    const metadata = await startService('metadata', config, at(0), tasks);
    started.push(metadata);
    const ecsApi = await startService('ecs-api', config, at(1), tasks, kinds);
    started.push(ecsApi);
    const sink = await startSlackSink({
      ...at(2),
      ...(options.ratePerSecond ? { ratePerSecond: options.ratePerSecond } : {}),
    });
    started.push(sink);
    const logsApi = await startLogsApi({ ...at(3), streams: tasks.flatMap((t) => t.logs) });
    started.push(logsApi);
    return { tasks, kinds, metadata, ecsApi, sink, logsApi, close: () => closeAll(started) };
  } catch (error) {
    await closeAll(started);
    throw error;
  }
}

/** One service on its own (a compose container runs one). */
export function startService(
  name: ServiceName,
  config: NotifierConfig,
  listen: { host?: string | undefined; port?: number | undefined },
  tasks: LocalTask[] = generateLocalTasks(config),
  kinds: KindExamples = localKindExamples(config),
): Promise<RunningServer> {
  const options = { port: listen.port ?? 0, ...(listen.host ? { host: listen.host } : {}) };
  switch (name) {
    case 'metadata':
      return startMetadataServer({ ...options, snapshots: snapshotsFromTasks(tasks) });
    case 'ecs-api':
      return startEcsApi({
        ...options,
        tasks: tasks.map((t) => t.described),
        clusters: config.sources.map((s) => s.clusterArn),
        taskDefinitions: tasks.map((t) => t.taskDefinition),
        services: kinds.services,
        jobs: kinds.jobs,
      });
    case 'slack-sink':
      return startSlackSink(options);
    case 'logs-api':
      return startLogsApi({ ...options, streams: tasks.flatMap((t) => t.logs) });
  }
}

/** After the example tasks stopped (local/tasks.ts starts them at 02:00 UTC, an hour apart). */
const KIND_EXAMPLES_AT = new Date(Date.UTC(2024, 4, 1, 4, 0, 0));

/** The kind examples of the configuration's last source; none without a source. */
export function localKindExamples(config: Pick<NotifierConfig, 'sources'>): KindExamples {
  const source = config.sources.at(-1);
  return source ? kindExamples(source, KIND_EXAMPLES_AT) : { events: [], services: [], jobs: [] };
}

async function closeAll(servers: RunningServer[]): Promise<void> {
  await Promise.all(servers.map((s) => s.close()));
}

/** The environment that points a Lambda, `replay` or a task at the services. */
export function serviceEnvironment(services: LocalServices, config: NotifierConfig): string[] {
  const region = services.tasks[0]?.facts.region ?? 'us-east-1';
  return [
    ...services.tasks.map(
      (t) => `ECS_CONTAINER_METADATA_URI_V4=${services.metadata.url}/v4/${t.id}   # ${t.label}`,
    ),
    `AWS_ENDPOINT_URL_ECS=${services.ecsApi.url}`,
    `AWS_ENDPOINT_URL_BATCH=${services.ecsApi.url}`,
    `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=${services.logsApi.url}`,
    'AWS_ACCESS_KEY_ID=local',
    'AWS_SECRET_ACCESS_KEY=local',
    `AWS_REGION=${region}`,
    `SLACK_WEBHOOK_URL=${services.sink.hookUrl}`,
    `SLACK_API_URL=${services.sink.apiUrl}`,
    `NOTIFIER_CONFIG='${JSON.stringify(localNotifierConfig(config)).replaceAll("'", "'\\''")}'`,
  ];
}

/** The configuration a local Lambda gets: without the secret ARN, so it posts to `SLACK_WEBHOOK_URL`. */
export function localNotifierConfig(config: NotifierConfig): Partial<NotifierConfig> {
  const { slackWebhookSecretArn: _secret, ...rest } = config;
  return rest;
}
