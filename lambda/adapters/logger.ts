import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';

export const SERVICE_NAME = 'ecs-task-notifier';

/** The Lambda's logger: structured JSON lines, one per decision, on stdout or to `stream`. */
export function createLambdaLogger(stream?: NodeJS.WritableStream): Logger {
  const logger = new Logger({ serviceName: SERVICE_NAME });
  if (stream) writeTo(logger, stream);
  return logger;
}

/**
 * A logger for commands whose stdout is their result (`--json`): the same JSON lines, on stderr,
 * silent unless `verbose` (the command prints every result itself).
 */
export function createCliLogger(verbose = false): Logger {
  const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: verbose ? 'INFO' : 'SILENT' });
  writeTo(logger, process.stderr);
  return logger;
}

/** Powertools prints through its own Console on stdout; point that Console at `stream`. */
function writeTo(logger: Logger, stream: NodeJS.WritableStream): void {
  (logger as unknown as { console: Console }).console = new Console({ stdout: stream, stderr: stream });
}
