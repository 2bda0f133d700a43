import { NotifierError } from '../lambda/domain/errors.js';
import packageJson from '../package.json' with { type: 'json' };
import { processIo, UsageError } from './command.js';
import { commands } from './commands/index.js';
import { shown } from './visible-text.js';

const HELP = `ecs-task-notifier: tells you which ECS task, task-definition revision and VPC a message came from.

Usage: ecs-task-notifier <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run 'ecs-task-notifier <command> --help' for a command's options.`;

/** Dispatches to a command; returns the process exit code. Never prints a stack trace. */
export async function main(argv: string[], io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.err(HELP);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(packageJson.version);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(
      `ecs-task-notifier: unknown command ${shown(JSON.stringify(name))}; see 'ecs-task-notifier --help'`,
    );
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`ecs-task-notifier ${name}: ${shown(error.message)}\n${command.usage.split('\n')[0]}`);
      return 2;
    }
    // An unexpected error still says what it is (TypeError…); ours say only what went wrong.
    const text =
      error instanceof NotifierError
        ? error.message
        : error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error);
    io.err(`ecs-task-notifier ${name}: ${shown(text)}`);
    return 1;
  }
}
