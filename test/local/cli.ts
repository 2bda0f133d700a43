import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BIN, type CliResult, runCli as runInChild } from '../support/cli.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/metadata/', import.meta.url));

/** Variables that would make a process look like it runs in an ECS task, or can post to Slack. */
const TASK_VARIABLES = ['ECS_CONTAINER_METADATA_URI_V4', 'ECS_CONTAINER_METADATA_URI', 'SLACK_WEBHOOK_URL'];

/** The environment of a process outside ECS: no metadata variables, no webhook. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of TASK_VARIABLES) delete env[key];
  return { ...env, ...extra };
}

/** Runs `ecs-task-notifier ARGS` to completion, outside ECS unless `env` says otherwise. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<CliResult> {
  const unset = Object.fromEntries(TASK_VARIABLES.map((key) => [key, undefined]));
  return runInChild(args, { ...unset, ...env });
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
