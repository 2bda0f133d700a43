// vitest's globalSetup: every test run builds the CLI from the current sources first, so tests
// that run `bin/ecs-task-notifier.js` never test a stale dist/; and the run gets a temp folder of
// its own, removed at the end, so no test leaves anything in the machine's temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCli } from '../../scripts/build-cli.js';

export async function setup(): Promise<() => void> {
  await buildCli();
  // Workers and the processes tests start inherit it: os.tmpdir() reads TMPDIR.
  const runTmp = mkdtempSync(path.join(tmpdir(), 'ecs-task-notifier-tests-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = runTmp;
  return () => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(runTmp, { recursive: true, force: true });
  };
}
