import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/ecs-task-notifier.js', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/metadata/', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a process outside ECS: no metadata variables, no webhook. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['ECS_CONTAINER_METADATA_URI_V4', 'ECS_CONTAINER_METADATA_URI', 'SLACK_WEBHOOK_URL'])
    delete env[key];
  return { ...env, ...extra };
}

/** Runs `ecs-task-notifier ARGS` to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ServingCli {
  /** The first stdout line matching the pattern. */
  line: string;
  /** Everything on stdout up to and including that line. */
  output: string;
  stop(): Promise<number | null>;
}

/** Starts a serving command and waits for a stdout line matching `pattern`. */
export function serveCli(args: string[], pattern: RegExp): Promise<ServingCli> {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => pattern.test(l));
      if (line) {
        resolve({
          line,
          output: stdout,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    exited.then((code) => reject(new Error(`exited ${code} before printing ${pattern}: ${stderr}`)));
  });
}
