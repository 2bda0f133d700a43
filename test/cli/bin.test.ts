import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, type CliResult, REPO_ROOT } from '../support/cli.js';

const EXAMPLE_EVENTS = path.join(REPO_ROOT, 'examples/events');

/** A directory nobody can create anything in, whoever they are: it lies under a file. */
const UNWRITABLE = '/dev/null/nowhere';

/** As root, the tests run the CLI as `nobody`, who may write nothing in the checkout. */
const otherUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

const scratch = mkdtempSync(path.join(tmpdir(), 'bin-test-'));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Files and directories under `dir` changed since `since` (epoch ms). */
function changedSince(dir: string, since: number): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > since);
}

function runAs(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env }, cwd: scratch, ...otherUser },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('the installed CLI', () => {
  it('runs as another user with HOME and TMPDIR unwritable, and writes nothing under node_modules', async () => {
    const start = Date.now() - 1;

    const result = await runAs(['replay', '--dry-run', '--json', EXAMPLE_EVENTS], {
      HOME: UNWRITABLE,
      TMPDIR: UNWRITABLE,
    });

    expect(result.stderr).toContain('2 events');
    expect(result.code).toBe(0);
    expect(changedSince(path.join(REPO_ROOT, 'node_modules'), start)).toEqual([]);
  });

  it('survives eight first runs at once, and leaves the temp folder empty', async () => {
    const temp = path.join(scratch, 'tmp');
    mkdirSync(temp);
    chmodSync(temp, 0o1777);

    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        runAs(['replay', '--dry-run', '--json', EXAMPLE_EVENTS], { TMPDIR: temp, HOME: UNWRITABLE }),
      ),
    );

    expect(results.map((r) => [r.code, r.stdout.split('\n').length])).toEqual(
      Array.from({ length: 8 }, () => [0, 3]),
    );
    expect(readdirSync(temp)).toEqual([]);
  });

  it('is tested as built from the current sources: dist/ is newer than every source it bundles', () => {
    const sources = ['cli', 'lambda', 'local', 'lib'].flatMap((dir) =>
      readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts'))
        .map((name) => statSync(path.join(REPO_ROOT, dir, name)).mtimeMs),
    );

    expect(statSync(path.join(REPO_ROOT, 'dist/run.js')).mtimeMs).toBeGreaterThanOrEqual(
      Math.max(...sources),
    );
  });

  it('says how to build it, and exits 1, when the build is missing', async () => {
    const checkout = path.join(scratch, 'unbuilt');
    mkdirSync(path.join(checkout, 'bin'), { recursive: true });
    copyFileSync(BIN, path.join(checkout, 'bin/ecs-task-notifier.js'));

    const result = await new Promise<CliResult>((resolve) =>
      execFile(
        process.execPath,
        [path.join(checkout, 'bin/ecs-task-notifier.js'), '--help'],
        (error, stdout, stderr) =>
          resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
      ),
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("'npm run build'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs from the sources with npm run dev', async () => {
    const result = await new Promise<CliResult>((resolve) =>
      execFile(
        'npm',
        ['run', '--silent', 'dev', '--', '--help'],
        { cwd: REPO_ROOT },
        (error, stdout, stderr) =>
          resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
      ),
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: ecs-task-notifier <command>');
  });
});
