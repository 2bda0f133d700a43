import { PortInUseError } from '../../local/http.js';
import { UsageError } from '../command.js';

/** `--port N`: 0 (a free port) to 65535. */
export function parsePort(value: string, flag = '--port'): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`${flag} must be a number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

/** Resolves on Ctrl-C or SIGTERM, so a serving command can close its servers and exit 0. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** Waits for servers to start; a port in use is a usage error that says how to get a free one. */
export async function startedOrExplained<T>(starting: Promise<T>): Promise<T> {
  try {
    return await starting;
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    throw new UsageError(`${error.message}: choose another with --port N, or --port 0 for free ports`);
  }
}
