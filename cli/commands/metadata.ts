import { taskFromMetadata } from '../../in-task/task-from-metadata.js';
import { ValidationError } from '../../lambda/domain/config/validation.js';
import {
  type MetadataSnapshot,
  snapshotFromResponse,
  startMetadataServer,
} from '../../local/metadata-server.js';
import { type Command, type Io, parseCommandArgs, UsageError } from '../command.js';
import { readJsonOption } from '../read-json.js';
import { parsePort, startedOrExplained, untilSignal } from './serve-options.js';

const USAGE = `Usage: ecs-task-notifier metadata serve --task FILE [--task FILE...] [--port N] [--host H]

Serves captured task metadata responses (what \${ECS_CONTAINER_METADATA_URI_V4}/task or
/taskWithTags returned; v4 or the older v2/v3 shape) as a local task metadata endpoint, with
the /v4 and /v3 paths, until Ctrl-C. Prints ECS_CONTAINER_METADATA_URI_V4=... for each task.

Options:
  --task FILE   a captured /task response (repeatable)
  --port N      port to listen on; 0 picks a free one (default 0)
  --host H      address to listen on (default 127.0.0.1)
  -h, --help    show this help`;

export const metadataCommand: Command = {
  name: 'metadata',
  usage: USAGE,
  run: (argv, io) => runMetadata(argv, io),
};

export async function runMetadata(argv: string[], io: Io, stop?: Promise<unknown>): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  if (positionals[0] !== 'serve' || positionals.length > 1) {
    throw new UsageError(
      positionals[0]
        ? `unknown subcommand ${JSON.stringify(positionals.join(' '))}; expected 'serve'`
        : "expected 'serve'",
    );
  }
  const files = values.task ?? [];
  if (files.length === 0) throw new UsageError('give at least one --task FILE');
  const port = parsePort(values.port ?? '0');
  const snapshots = await Promise.all(files.map((file, i) => loadSnapshot(file, i)));
  const server = await startedOrExplained(
    startMetadataServer({ snapshots, port, ...(values.host ? { host: values.host } : {}) }),
  );
  io.err(`metadata endpoint listening on ${server.url} (Ctrl-C to stop)`);
  for (const s of snapshots) io.out(`ECS_CONTAINER_METADATA_URI_V4=${server.url}/v4/${s.id}`);
  await (stop ?? untilSignal());
  await server.close();
  return 0;
}

/** Reads and checks one captured response, so a wrong file fails here rather than in `whoami`. */
async function loadSnapshot(file: string, index: number): Promise<MetadataSnapshot> {
  const json = await readJsonOption('--task', file);
  try {
    taskFromMetadata(json);
  } catch (error) {
    if (error instanceof ValidationError)
      throw new UsageError(`--task ${file}: not a task metadata response: ${error.message}`);
    throw error;
  }
  return snapshotFromResponse(json as Record<string, unknown>, `task-${index + 1}`);
}

function parseOptions(argv: string[]) {
  return parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      task: { type: 'string', multiple: true },
      port: { type: 'string' },
      host: { type: 'string' },
    },
  });
}
