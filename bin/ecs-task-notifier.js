#!/usr/bin/env node
// The CLI as `npx ecs-task-notifier` runs it: the plain JavaScript that `npm run build` (run by
// `prepare` during `npm ci`) bundled into dist/. It reads nothing else and writes nothing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/run.js', import.meta.url);

if (existsSync(entry)) {
  await import(entry.href);
} else {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(
    `ecs-task-notifier: the CLI is not built (${fileURLToPath(entry)} is missing).\n` +
      `Build it with 'npm run build' in ${root} (npm ci does it too), or run the sources with 'npm run dev -- <command>'.\n`,
  );
  process.exitCode = 1;
}
