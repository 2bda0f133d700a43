import { readTaskFromMetadata } from '../../in-task/metadata.js';
import type { Task } from '../../lambda/domain/task/task.js';
import { type Command, type Io, parseCommandArgs } from '../command.js';

const USAGE = `Usage: ecs-task-notifier whoami [--json]

Prints the identity of the ECS task this runs in, from its task metadata endpoint
($ECS_CONTAINER_METADATA_URI_V4, else the v3 $ECS_CONTAINER_METADATA_URI).

Options:
  --json        one JSON object on stdout
  -h, --help    show this help

Exit status: 0 ok, 1 not in a task or the endpoint failed, 2 usage error.`;

export const whoamiCommand: Command = {
  name: 'whoami',
  usage: USAGE,
  run: (argv, io) => runWhoami(argv, io),
};

/** The fields `whoami` prints, in order; `null` when the endpoint does not report one. */
export function identityOf(task: Task): Record<string, string | number | null> {
  return {
    cluster: task.cluster,
    taskArn: task.taskArn,
    family: task.family,
    revision: task.revision,
    knownStatus: task.lastStatus,
    availabilityZone: task.availabilityZone ?? null,
    launchType: task.launchType ?? null,
    vpcId: task.vpcId ?? null,
  };
}

export async function runWhoami(
  argv: string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { json } = parseCommandArgs({ args: argv, options: { json: { type: 'boolean' } } }).values;
  const identity = identityOf(await readTaskFromMetadata({ env }));
  if (json) {
    io.out(JSON.stringify(identity));
    return 0;
  }
  for (const [key, value] of Object.entries(identity))
    io.out(`${key.padEnd(17)} ${value ?? '(not reported)'}`);
  return 0;
}
