#!/usr/bin/env node
// The CLI, straight from the TypeScript sources with no build step after `npm ci`: on the first run
// (and after any source file changes) esbuild bundles cli/ with what it imports into a cache
// folder; every run then imports that plain JavaScript, which starts fast and runs lean.
import { accessSync, constants, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['cli', 'lambda', 'local'];

// The AWS SDK warns on Node 20 (to stderr); a CLI user can do nothing about it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { main } = await import(pathToFileURL(path.join(await compiled(), 'main.js')).href);
process.exitCode = await main(process.argv.slice(2));

/** The folder holding the bundled CLI for the sources as they are now; built if missing. */
async function compiled() {
  const folder = path.join(cacheRoot(), fingerprint());
  if (exists(folder)) return folder;
  const building = `${folder}.${process.pid}.tmp`;
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(ROOT, 'cli/main.ts')],
    outdir: building,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  try {
    renameSync(building, folder);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another run built it first
  }
  pruneOldBuilds(path.dirname(folder), folder);
  return folder;
}

/** Removes bundles of earlier sources, once no run can still be loading them (an hour on). */
function pruneOldBuilds(root, keep) {
  for (const name of readdirSync(root)) {
    const folder = path.join(root, name);
    if (folder !== keep && name.startsWith('cli-') && statSync(folder).mtimeMs < Date.now() - 3_600_000) {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}

/** Every source file's path, size and mtime, hashed: any edit makes a new bundle. */
function fingerprint() {
  let hash = 2166136261;
  const add = (text) => {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) {
        const info = statSync(file);
        add(`${file}:${info.size}:${info.mtimeMs};`);
      }
    }
  };
  for (const dir of SOURCES) walk(path.join(ROOT, dir));
  return `cli-${hash.toString(16)}`;
}

/** `node_modules/.cache/ecs-task-notifier`, or the temp folder where that is not writable. */
function cacheRoot() {
  for (const base of [path.join(ROOT, 'node_modules/.cache'), tmpdir()]) {
    const folder = path.join(base, 'ecs-task-notifier');
    try {
      mkdirSync(folder, { recursive: true });
      accessSync(folder, constants.W_OK);
      return folder;
    } catch {
      // not writable: try the next
    }
  }
  throw new Error('ecs-task-notifier: no writable cache folder (node_modules/.cache or the temp folder)');
}

function exists(file) {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}
