import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';

export const SERVICE_NAME = 'ecs-task-notifier';

/** The Lambda's logger: structured JSON lines, one per decision. */
export function createLambdaLogger(): Logger {
  return new Logger({ serviceName: SERVICE_NAME });
}

/**
 * A logger for commands whose stdout is their result (`--json`): the same JSON lines, on stderr,
 * silent unless `verbose` (the command prints every result itself).
 */
export function createCliLogger(verbose = false): Logger {
  const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: verbose ? 'INFO' : 'SILENT' });
  // Powertools prints through its own Console on stdout; point it at stderr.
  (logger as unknown as { console: Console }).console = new Console({
    stdout: process.stderr,
    stderr: process.stderr,
  });
  return logger;
}
