import type { NotifierConfig } from '../../lambda/domain/config/config.js';
import { DEMO_CONFIG } from '../../local/demo-config.js';
import {
  SERVICE_NAMES,
  type ServiceName,
  serviceEnvironment,
  startLocalServices,
  startService,
} from '../../local/services.js';
import { type Command, type Io, parseCommandArgs, UsageError } from '../command.js';
import { loadConfig } from '../config-options.js';
import { parsePort, startedOrExplained, untilSignal } from './serve-options.js';

const DEFAULT_PORT = 8170;

const USAGE = `Usage: ecs-task-notifier local [--config FILE] [--port N] [--host H] [--compose DIR]

Runs the local stand-ins until Ctrl-C: the task metadata endpoint (one task per configured
source), the ECS API (DescribeTasks, DescribeTaskDefinition), a Slack sink (webhooks and the Web
API's chat.postMessage, chat.update, conversations.replies) with an HTML view and
the CloudWatch Logs API (GetLogEvents, each task's log); prints their URLs and the environment
that points a Lambda, 'replay' or a task at them.

Options:
  --config FILE     notifier configuration (default: the demo's two sources)
  --port N          the metadata endpoint's port; the ECS API, the sink and the Logs API take
                    N+1, N+2 and N+3
                    (default ${DEFAULT_PORT}; 0 picks free ports)
  --host H          address to listen on (default 127.0.0.1)
  --compose DIR     write compose.yaml and the files it uses into DIR, then exit
  --service NAME    run one service only on --port (${SERVICE_NAMES.join(', ')}; used by compose.yaml)
  -h, --help        show this help`;

export const localCommand: Command = {
  name: 'local',
  usage: USAGE,
  run: (argv, io) => runLocal(argv, io),
};

export async function runLocal(argv: string[], io: Io, stop?: Promise<unknown>): Promise<number> {
  const values = parseOptions(argv);
  const config: NotifierConfig = values.config ? await loadConfig(values.config) : DEMO_CONFIG;
  const port = parsePort(values.port ?? String(DEFAULT_PORT));
  const host = values.host;

  if (values.compose) {
    // Loaded only here: it reads the Lambda runtime from the CDK library, which takes a moment.
    const { writeComposeFixture } = await import('../../local/compose.js');
    for (const file of await writeComposeFixture(config, values.compose)) io.out(file);
    return 0;
  }
  if (values.service) {
    const name = values.service as ServiceName;
    if (!SERVICE_NAMES.includes(name))
      throw new UsageError(`--service must be one of ${SERVICE_NAMES.join(', ')}`);
    const server = await startedOrExplained(startService(name, config, { host, port }));
    io.out(`${name} listening on ${server.url}`);
    await (stop ?? untilSignal());
    await server.close();
    return 0;
  }
  if (config.sources.length === 0)
    io.err('warning: no sources configured, so the metadata endpoint serves no task');
  const services = await startedOrExplained(startLocalServices(config, { port, ...(host ? { host } : {}) }));
  io.out(`Task metadata endpoint  ${services.metadata.url}`);
  io.out(`ECS API                 ${services.ecsApi.url}`);
  io.out(
    `Slack sink              ${services.sink.hookUrl}  (Web API: ${services.sink.apiUrl}  messages: ${services.sink.url}/  JSON: ${services.sink.url}/messages)`,
  );
  io.out(`CloudWatch Logs API     ${services.logsApi.url}`);
  io.out('\nEnvironment:');
  for (const line of serviceEnvironment(services, config)) io.out(`  ${line}`);
  io.out('\nCtrl-C to stop.');
  await (stop ?? untilSignal());
  await services.close();
  return 0;
}

function parseOptions(argv: string[]) {
  return parseCommandArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      compose: { type: 'string' },
      service: { type: 'string' },
    },
  }).values;
}
