/** A CLI command: `run` returns the exit code (0 ok, 1 some input failed, 2 usage error). */
export interface Command {
  name: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** A mistake in how a command was called; printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Where commands write: stdout for results, stderr for progress and errors. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Resolves once stdout has room again, so a slow reader cannot make output pile up in memory. */
  drain?(): Promise<void>;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  drain: () =>
    process.stdout.writableNeedDrain
      ? new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()))
      : Promise.resolve(),
};
