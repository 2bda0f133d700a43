import { createCliLogger } from '../../lambda/adapters/logger.js';
import { replayExampleEvents } from '../../local/demo.js';
import { DEMO_CONFIG } from '../../local/demo-config.js';
import { startLocalServices } from '../../local/services.js';
import { renderMessageText } from '../../local/slack-view.js';
import { type Command, type Io, parseCommandArgs } from '../command.js';
import { retryProgress } from '../retry-progress.js';
import { untilSignal } from './serve-options.js';

const USAGE = `Usage: ecs-task-notifier demo [--keep]

The offline demo (npm start): starts the local task metadata endpoint, ECS API, CloudWatch Logs
API and Slack sink, replays an example task event from each of two sources, then one service,
deployment, RunTask and Batch job event, through the notifier's real pipeline (DescribeTasks,
DescribeServices and Batch DescribeJobs cross-checks, log links from DescribeTaskDefinition, the
failed task's last log lines from GetLogEvents, Slack webhooks), prints each message, and stops.
Two routes: failures go to an 'alerts' hook with a mention, everything to a 'log' hook.

Options:
  --keep        keep the services up until Ctrl-C, to look at the messages in a browser
  -h, --help    show this help`;

export const demoCommand: Command = {
  name: 'demo',
  usage: USAGE,
  run: (argv, io) => runDemo(argv, io),
};

export async function runDemo(argv: string[], io: Io, stop?: Promise<unknown>): Promise<number> {
  const { keep } = parseCommandArgs({ args: argv, options: { keep: { type: 'boolean' } } }).values;
  const config = DEMO_CONFIG;
  const services = await startLocalServices(config);
  try {
    const kinds = services.kinds.events.filter((e) => config.events.includes(e.kind)).map((e) => e.kind);
    io.out(
      `Replaying ${services.tasks.length} example task stops from ${config.sources.map((s) => `"${s.label}"`).join(' and ')}${kinds.length > 0 ? `, then one ${kinds.join(', ')} event` : ''}`,
    );
    io.out(
      `through the notifier (ECS: ${services.ecsApi.url}, CloudWatch Logs: ${services.logsApi.url}, Slack: ${services.sink.hookUrl})\n`,
    );
    const results = await replayExampleEvents(services, config, {
      logger: createCliLogger(),
      onRetry: retryProgress('demo', io),
    });
    for (const [i, result] of results.entries()) {
      const check = result.report?.crossCheck.status ?? '-';
      io.out(
        `── ${i + 1}/${results.length} ${result.status} · cross-check: ${check}${result.reason ? ` · ${result.reason}` : ''}`,
      );
      // The message each route got, in the hook of the channel it stands for.
      for (const route of result.routes ?? []) {
        io.out(`   → ${route.route}${route.status === 'notified' ? '' : ` (${route.status})`}`);
        if (route.message) io.out(renderMessageText(route.message, '     '));
      }
      io.out('');
    }
    if (keep) {
      io.out(`The messages as Slack shows them: ${services.sink.url}/  (services up until Ctrl-C)`);
      await (stop ?? untilSignal());
    } else {
      io.out("To look at them as Slack shows them, in a browser: 'npm start -- --keep'");
    }
    return results.every((r) => r.status === 'notified') ? 0 : 1;
  } finally {
    await services.close();
  }
}
