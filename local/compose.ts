import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { COMPOSE_VARIABLES, composeDocument, hostModulesOverride } from './compose-document.js';
import { DEMO_CONFIG } from './demo-config.js';
import { generateLocalTasks } from './tasks.js';

const PACKAGE_NAME = 'ecs-task-notifier';
/** The project name `.env` gives a run without `-p`: its containers, network and volume carry it. */
export const DEFAULT_PROJECT_NAME = 'ecs-task-notifier-local';

/**
 * The checkout this code runs from: the nearest folder above `from` whose package.json is this
 * project's. Right from the sources (local/) and from the built CLI (dist/) alike.
 */
export function findProjectRoot(from: string = import.meta.url): string {
  const start = path.dirname(fileURLToPath(from));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (readPackageName(path.join(dir, 'package.json')) === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE_NAME} in ${start} or above`);
  }
}

function readPackageName(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  return (JSON.parse(text) as { name?: unknown }).name;
}

/** Runs the notifier's TypeScript handler from the mounted project, through the project's tsx. */
const NOTIFIER_ENTRY = `// Written by ecs-task-notifier: the Lambda image's handler, loading lambda/handler.ts via tsx.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const projectDir = process.env.PROJECT_DIR ?? '/app';
const require = createRequire(path.join(projectDir, 'package.json'));
// tsx's ESM API, as its package.json exports it (its CommonJS twin cannot register ESM hooks here).
const manifest = require.resolve('tsx/package.json');
const api = path.join(path.dirname(manifest), require(manifest).exports['./esm/api'].import.default);
const { register } = await import(pathToFileURL(api).href);
register();
const notifier = await import(pathToFileURL(path.join(projectDir, 'lambda/handler.ts')).href);
export const handler = notifier.handler;
`;

/**
 * Writes `compose.yaml` and every file it references into `outDir` (created if needed), for
 * `config`'s sources: the override `compose.host-modules.yaml` and `.env` (the default project
 * name) among them. Returns the paths written. Needs Docker to run, nothing to write.
 */
export async function writeComposeFixture(config: NotifierConfig, outDir: string): Promise<string[]> {
  const dir = path.resolve(outDir);
  await mkdir(dir, { recursive: true });
  const root = findProjectRoot();
  // Relative when the fixture sits inside the checkout (cdk.out/local), so the folder can move with it.
  const inside = !path.relative(root, dir).startsWith('..');
  const project = inside ? path.relative(dir, root) || '.' : root;
  const tasks = generateLocalTasks(config);
  const example = tasks[0] ?? generateLocalTasks(DEMO_CONFIG)[0];
  const region = example?.facts.region ?? 'us-east-1';
  const document = composeDocument({ config, tasks, region, project });
  const yaml = (value: unknown) => YAML.stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });

  const files: [string, string][] = [
    ['compose.yaml', `${COMPOSE_HEADER}${yaml(document)}`],
    [
      'compose.host-modules.yaml',
      `# Written by ecs-task-notifier. With compose.yaml, when containers cannot reach the npm registry:\n# the containers use this Linux checkout's node_modules. docker compose -f compose.yaml -f compose.host-modules.yaml up\n${yaml(hostModulesOverride(document, project))}`,
    ],
    [
      '.env',
      `# Written by ecs-task-notifier. Compose reads it beside compose.yaml; -p and the shell's variables win.\nCOMPOSE_PROJECT_NAME=${DEFAULT_PROJECT_NAME}\n`,
    ],
    ['notifier-config.json', `${JSON.stringify(config, null, 2)}\n`],
    ['notifier-entry.mjs', NOTIFIER_ENTRY],
    ['event.json', `${JSON.stringify(example?.event ?? {}, null, 2)}\n`],
  ];
  for (const [name, content] of files) await writeFile(path.join(dir, name), content);
  return files.map(([name]) => path.join(dir, name));
}

const { net, sinkPort, lambdaPort } = COMPOSE_VARIABLES;
const COMPOSE_HEADER = `# Written by ecs-task-notifier from the notifier configuration.
# Needs Compose v2 (docker compose) or docker-compose 1.29 or later; older v1 releases reject it.
# Run: docker compose -f compose.yaml up   (project ${DEFAULT_PROJECT_NAME}, from .env)
# A second copy on the same host needs its own project name, /24 and host ports, e.g.
#   ${net.name}=169.254.171 ${sinkPort.name}=0 ${lambdaPort.name}=0 docker compose -p copy2 -f compose.yaml up
# Its tasks then find the metadata endpoint at 169.254.171.2, through ECS_CONTAINER_METADATA_URI_V4
# (Docker gives no two networks one subnet). Defaults: ${net.name}=${net.default}, ${sinkPort.name}=${sinkPort.default}, ${lambdaPort.name}=${lambdaPort.default}.
`;
