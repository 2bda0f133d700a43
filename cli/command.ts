import { type ParseArgsConfig, parseArgs } from 'node:util';
import { NotifierError } from '../lambda/domain/errors.js';

/** A CLI command: `run` returns the exit code (0 ok, 1 some input failed, 2 usage error). */
export interface Command {
  name: string;
  usage: string;
  run(argv: string[], io: Io): Promise<number>;
}

/** A mistake in how a command was called; printed as one line, exit code 2. */
export class UsageError extends NotifierError {}

/** Where commands write: stdout for results, stderr for progress and errors. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Many result lines at once (one system call where the stream allows). */
  outLines?(lines: readonly string[]): void;
  /** Resolves once stdout has room again, so a slow reader cannot make output pile up in memory. */
  drain?(): Promise<void>;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  outLines: (lines) => {
    process.stdout.cork();
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.stdout.uncork();
  },
  drain: () =>
    process.stdout.writableNeedDrain
      ? new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()))
      : Promise.resolve(),
};

/** `node:util` `parseArgs`, with a mistake in the arguments reported as a short {@link UsageError}. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(argumentMistake(error as NodeJS.ErrnoException));
  }
}

/** Node's message, which can run to three sentences, as a few words naming the argument. */
function argumentMistake(error: NodeJS.ErrnoException): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = quoted.split(' ')[0] ?? quoted;
      return error.message.includes('argument missing')
        ? `${option} needs a value`
        : `${option} takes no value`;
    }
    default:
      return error.message;
  }
}
