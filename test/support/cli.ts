import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout under test. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** The CLI as `npx ecs-task-notifier` runs it: the build of the current sources (vitest's globalSetup). */
export const BIN = fileURLToPath(new URL('../../bin/ecs-task-notifier.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables the CLI reads as defaults; a test gives them explicitly when it means to. */
const CLI_DEFAULTS = ['NOTIFIER_CONFIG', 'SLACK_BOT_TOKEN', 'SLACK_API_URL'];

/** Runs the CLI as a user would, in a child process (in `cwd`, by default this checkout). */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd: string = REPO_ROOT,
): Promise<CliResult> {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const key of CLI_DEFAULTS) delete merged[key];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: merged, cwd, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The `--json` lines of a run, parsed (fails the test if any stdout line is not JSON). */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Runs the CLI's `main` in this process, its output captured line by line: the same code as the
 * bin, for checks where starting a process would only add time.
 */
export async function runMain(args: string[]): Promise<CliResult> {
  const { main } = await import('../../cli/main.js');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: (line) => {
      stdout += `${line}\n`;
    },
    err: (line) => {
      stderr += `${line}\n`;
    },
  });
  return { code, stdout, stderr };
}
