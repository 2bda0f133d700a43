#!/usr/bin/env node
// Builds the CLI (cli/run.ts and what it imports) into dist/ with esbuild: `npm run build`, run by
// `prepare` during `npm ci` and by every vitest run. Dependencies stay imports of node_modules.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the built CLI goes; `bin/ecs-task-notifier.js` imports `dist/run.js`. */
export const DIST = path.join(ROOT, 'dist');

/**
 * Bundles the CLI into `dist/`. Each file is written to a temporary name and renamed, so a CLI
 * starting meanwhile reads either the old file or the new one, never half of one.
 * @returns the paths written
 */
export async function buildCli() {
  const result = await build({
    entryPoints: [path.join(ROOT, 'cli/run.ts')],
    outdir: DIST,
    bundle: true,
    // Each command loads on demand, so `replay` never parses the code of `local`.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'error',
  });
  mkdirSync(DIST, { recursive: true });
  const written = new Set();
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
    written.add(file.path);
  }
  // Chunks of an earlier build (their names carry a content hash) would pile up.
  for (const name of readdirSync(DIST)) {
    const file = path.join(DIST, name);
    if (!written.has(file) && !name.endsWith('.tmp')) rmSync(file, { recursive: true, force: true });
  }
  return [...written];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await buildCli();
  console.error(`built the CLI: ${files.length} files in ${path.relative(process.cwd(), DIST) || DIST}/`);
}
