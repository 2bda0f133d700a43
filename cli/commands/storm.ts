import { DEMO_CONFIG } from '../../local/demo-config.js';
import { stormStops } from '../../local/storm.js';
import { type Command, type Io, parseCommandArgs, UsageError } from '../command.js';
import { loadConfig } from '../config-options.js';

const USAGE = `Usage: ecs-task-notifier storm [--count N] [--failed SHARE] [--config FILE]

Prints a storm of STOPPED task events as JSON Lines on stdout, to replay through a local Slack:
the configuration's sources (without --config, the demo's two) × three families, in a shuffled
order, SHARE of them failed with one of four causes, one family all succeeded. The same
options print the same storm.

  npx ecs-task-notifier storm --count 300 > storm.jsonl
  npx ecs-task-notifier replay storm.jsonl --webhook-url http://127.0.0.1:8172/hook

Options:
  --count N        how many task stops (1 to 100000; default 300)
  --failed SHARE   the share that failed, 0 to 1 (default 0.1)
  --config FILE    whose sources and clusters (as replay takes it)
  -h, --help       show this help`;

export const stormCommand: Command = {
  name: 'storm',
  usage: USAGE,
  run: (argv, io) => runStorm(argv, io),
};

export async function runStorm(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { count: { type: 'string' }, failed: { type: 'string' }, config: { type: 'string' } },
  });
  const count = Number(values.count ?? '300');
  if (!Number.isInteger(count) || count < 1 || count > 100_000)
    throw new UsageError('--count must be a whole number from 1 to 100000');
  const failed = Number(values.failed ?? '0.1');
  if (!Number.isFinite(failed) || failed < 0 || failed > 1)
    throw new UsageError('--failed must be a share from 0 to 1, e.g. 0.1');
  const config = values.config ? await loadConfig(values.config) : DEMO_CONFIG;
  if (config.sources.length === 0)
    throw new UsageError(`--config ${values.config}: lists no sources, so a storm has no clusters`);
  const lines = stormStops(count, failed, 'storm', config).map((stop) => stop.event);
  if (io.outLines) io.outLines(lines);
  else for (const line of lines) io.out(line);
  return 0;
}
