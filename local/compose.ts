import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { LAMBDA_NODE_MAJOR } from '../lib/lambda-runtime.js';
import { DEMO_CONFIG } from './demo-config.js';
import { localNotifierConfig } from './services.js';
import { generateLocalTasks } from './tasks.js';

/** The ECS convention: the task metadata endpoint at 169.254.170.2 on a link-local /24. */
export const METADATA_SUBNET = '169.254.170.0/24';
export const METADATA_ADDRESS = '169.254.170.2';
const ECS_API = 'http://ecs-api:8081';
const SINK = 'http://slack-sink:8082/hook';
const LOGS_API = 'http://logs-api:8083';
// The same Node.js major version as the deployed function, for the notifier and the services alike.
const NODE_IMAGE = `node:${LAMBDA_NODE_MAJOR}-slim`;
const LAMBDA_IMAGE = `public.ecr.aws/lambda/nodejs:${LAMBDA_NODE_MAJOR}`;
const PACKAGE_NAME = 'ecs-task-notifier';

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
 * `config`'s sources; returns the paths written. Needs Docker to run, nothing to write.
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

  const mounts = [`${project}:/app:ro`, 'node_modules:/app/node_modules'];
  const afterDeps = { deps: { condition: 'service_completed_successfully' } };
  const service = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
    image: NODE_IMAGE,
    working_dir: '/app',
    command: [
      'node',
      'bin/ecs-task-notifier.js',
      'local',
      '--service',
      name,
      '--config',
      '/fixture/notifier-config.json',
      '--host',
      '0.0.0.0',
      '--port',
      String(port),
    ],
    volumes: [...mounts, '.:/fixture:ro'],
    depends_on: afterDeps,
    networks: ['ecs-local'],
    ...extra,
  });

  const batchTasks = Object.fromEntries(
    tasks.map((task, i) => [
      `batch-task-${i + 1}`,
      {
        image: NODE_IMAGE,
        working_dir: '/app',
        labels: { 'ecs-task-notifier.source': escapeDollars(task.label) },
        environment: {
          ECS_CONTAINER_METADATA_URI_V4: `http://${METADATA_ADDRESS}/v4/${task.id}`,
          SLACK_WEBHOOK_URL: SINK,
          NOTIFY_TEXT: escapeDollars(`Hello from a batch task of ${task.label}`),
        },
        command: [
          'sh',
          '-c',
          'node bin/ecs-task-notifier.js whoami && node bin/ecs-task-notifier.js notify --text "$$NOTIFY_TEXT"',
        ],
        volumes: mounts,
        depends_on: {
          ...afterDeps,
          metadata: { condition: 'service_started' },
          'slack-sink': { condition: 'service_started' },
        },
        networks: ['ecs-local'],
      },
    ]),
  );

  const compose = {
    name: 'ecs-task-notifier-local',
    networks: { 'ecs-local': { ipam: { config: [{ subnet: METADATA_SUBNET }] } } },
    volumes: { node_modules: {} },
    services: {
      // Installs the project's dependencies for Linux once, into a volume the others share. No
      // scripts: `prepare` would rebuild dist/ in the checkout as root; the host's build is used.
      deps: {
        image: NODE_IMAGE,
        working_dir: '/app',
        command: ['npm', 'ci', '--ignore-scripts', '--no-audit', '--no-fund'],
        volumes: [`${project}:/app`, 'node_modules:/app/node_modules'],
      },
      metadata: service('metadata', 80, { networks: { 'ecs-local': { ipv4_address: METADATA_ADDRESS } } }),
      'ecs-api': service('ecs-api', 8081),
      'slack-sink': service('slack-sink', 8082, { ports: ['127.0.0.1:8082:8082'] }),
      'logs-api': service('logs-api', 8083),
      notifier: {
        image: LAMBDA_IMAGE,
        command: ['notifier-entry.handler'],
        ports: ['127.0.0.1:9000:8080'],
        environment: {
          NOTIFIER_CONFIG: escapeDollars(JSON.stringify(localNotifierConfig(config))),
          SLACK_WEBHOOK_URL: SINK,
          AWS_ENDPOINT_URL_ECS: ECS_API,
          AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: LOGS_API,
          AWS_REGION: region,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          PROJECT_DIR: '/app',
        },
        volumes: [...mounts, './notifier-entry.mjs:/var/task/notifier-entry.mjs:ro'],
        depends_on: {
          ...afterDeps,
          'ecs-api': { condition: 'service_started' },
          'slack-sink': { condition: 'service_started' },
          'logs-api': { condition: 'service_started' },
        },
        networks: ['ecs-local'],
      },
      ...batchTasks,
    },
  };

  const files: [string, string][] = [
    [
      'compose.yaml',
      `# Written by ecs-task-notifier from the notifier configuration. Run: docker compose up\n${YAML.stringify(compose, { lineWidth: 0, aliasDuplicateObjects: false })}`,
    ],
    ['notifier-config.json', `${JSON.stringify(config, null, 2)}\n`],
    ['notifier-entry.mjs', NOTIFIER_ENTRY],
    ['event.json', `${JSON.stringify(example?.event ?? {}, null, 2)}\n`],
  ];
  for (const [name, content] of files) await writeFile(path.join(dir, name), content);
  return files.map(([name]) => path.join(dir, name));
}

/** Compose interpolates `$VAR` in values; `$$` is a literal dollar. */
function escapeDollars(value: string): string {
  return value.split('$').join('$$');
}
