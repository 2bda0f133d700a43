import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** The one line printed when moto is missing. */
export const INSTALL_MOTO = "moto_server not found on PATH: install moto with pip install 'moto[server]'";

/** moto_server, started by {@link startMoto}: AWS on a loopback port. */
export interface Moto {
  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`. */
  url: string;
  port: number;
  /** The moto_server process, leader of its own process group. */
  process: ChildProcess;
  /**
   * Turns moto's IAM access control on (every request must be signed by an IAM user's or an
   * assumed role's key, and its action allowed by that principal's policies) or off.
   */
  setAccessControl(on: boolean): Promise<void>;
  /** Starts recording every request moto receives, from now on. */
  startRecording(): Promise<void>;
  /** The requests recorded since {@link startRecording}. */
  recordedRequests(): Promise<RecordedRequest[]>;
  stop(): Promise<void>;
}

/** A request as moto's recorder keeps it. */
export interface RecordedRequest {
  headers: Record<string, string>;
  method: string;
  url: string;
  body: string | null;
  body_encoded: boolean;
}

/** The `moto_server` on PATH, or undefined. */
export function findMotoServer(searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, 'moto_server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Starts `moto_server` on a free port of 127.0.0.1 and waits until it answers. Its recorder writes
 * to `recordingFile`. `MOTO_ACCOUNT_ID` is unset for it: accounts are told by access key.
 */
export async function startMoto(executable: string, recordingFile: string): Promise<Moto> {
  const port = await freePort();
  const { MOTO_ACCOUNT_ID: _, ...env } = process.env;
  // Its own process group, so stop() ends moto and whatever its launcher (a pyenv shim) started.
  const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...env, MOTO_RECORDER_FILEPATH: recordingFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopGroup(child);
  try {
    await waitUntilAnswering(url, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  const api = async (route: string, body?: string) => {
    const response = await fetch(`${url}/moto-api/${route}`, { method: 'POST', body: body ?? '' });
    if (!response.ok) throw new Error(`moto-api/${route} answered ${response.status}`);
  };
  return {
    url,
    port,
    process: child,
    // The number of requests still let through unchecked: 0 checks every one from now on.
    setAccessControl: (on) => api('reset-auth', on ? '0' : 'inf'),
    startRecording: async () => {
      await api('recorder/reset-recording');
      await api('recorder/start-recording');
    },
    recordedRequests: async () =>
      readFileSync(recordingFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordedRequest),
    stop,
  };
}

/** Ends the process group of `child` (SIGTERM, then SIGKILL after 5 s) and waits for it. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** SIGKILL to the process group of `child`, now (for an `exit` handler, which cannot wait). */
export function killGroupNow(child: ChildProcess): void {
  if (!hasExited(child)) signalGroup(child, 'SIGKILL');
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // already gone
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntilAnswering(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `moto_server exited ${child.exitCode}: ${stderr().trim().split('\n').slice(-3).join(' ')}`,
      );
    }
    try {
      const response = await fetch(`${url}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer on ${url} within 60 s`);
}
