import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { LAMBDA_IMAGE, NODE_IMAGE } from './compose-images.js';
import { localNotifierConfig } from './services.js';
import type { LocalTask } from './tasks.js';

/** The variables a run of compose.yaml may set; each has the default shown. */
export const COMPOSE_VARIABLES = {
  /** The network's /24 as its first three numbers: the metadata endpoint is at `<net>.2`. */
  net: { name: 'ECS_LOCAL_NET', default: '169.254.170' },
  /** The host port of the Slack sink (on 127.0.0.1); `0` picks a free one. */
  sinkPort: { name: 'ECS_LOCAL_SINK_PORT', default: '8082' },
  /** The host port of the notifier's invoke endpoint (on 127.0.0.1); `0` picks a free one. */
  lambdaPort: { name: 'ECS_LOCAL_LAMBDA_PORT', default: '9000' },
} as const;

/** Compose's `${NAME:-default}`: the variable's value at `up`, else the default. */
export function composeVariable(variable: { name: string; default: string }): string {
  return `\${${variable.name}:-${variable.default}}`;
}

const NET = composeVariable(COMPOSE_VARIABLES.net);
/** The ECS convention: the task metadata endpoint at .2 of a link-local /24 (169.254.170.2 by default). */
export const METADATA_ADDRESS = `${NET}.2`;
const ECS_API = 'http://ecs-api:8081';
const SINK = 'http://slack-sink:8082/hook';
const LOGS_API = 'http://logs-api:8083';
const NODE_MODULES = 'node_modules:/app/node_modules';

export interface ComposeInputs {
  config: NotifierConfig;
  tasks: readonly LocalTask[];
  region: string;
  /** The checkout, as the compose file's bind mounts name it. */
  project: string;
}

/**
 * The compose document: the four services, the notifier and one batch task per source on one
 * network whose dynamic addresses (`.128`–`.255`) never include the metadata endpoint's `.2`.
 * Written for Compose v2 and docker-compose 1.29 alike (no top-level `name:`).
 */
export function composeDocument({ config, tasks, region, project }: ComposeInputs): Record<string, unknown> {
  const mounts = [`${project}:/app:ro`, NODE_MODULES];
  const healthy = (...names: string[]) =>
    Object.fromEntries(names.map((name) => [name, { condition: 'service_healthy' }]));
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
    // Node as PID 1 ignores SIGTERM; an init lets `down` stop it at once.
    init: true,
    healthcheck: answersHttp(port),
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
        depends_on: { ...afterDeps, ...healthy('metadata', 'slack-sink') },
        networks: ['ecs-local'],
      },
    ]),
  );

  return {
    networks: {
      'ecs-local': {
        ipam: { config: [{ subnet: `${NET}.0/24`, ip_range: `${NET}.128/25`, gateway: `${NET}.1` }] },
      },
    },
    volumes: { node_modules: {} },
    services: {
      // Installs the project's dependencies for Linux once, into a volume the others share. No
      // scripts: `prepare` would rebuild dist/ in the checkout as root; the host's build is used.
      deps: {
        image: NODE_IMAGE,
        working_dir: '/app',
        command: [
          'sh',
          '-c',
          `npm ci --ignore-scripts --no-audit --no-fund || { echo '${NPM_CI_FAILED}' >&2; exit 1; }`,
        ],
        volumes: [`${project}:/app`, NODE_MODULES],
      },
      metadata: service('metadata', 80, { networks: { 'ecs-local': { ipv4_address: METADATA_ADDRESS } } }),
      'ecs-api': service('ecs-api', 8081),
      'slack-sink': service('slack-sink', 8082, {
        ports: [`127.0.0.1:${composeVariable(COMPOSE_VARIABLES.sinkPort)}:8082`],
      }),
      'logs-api': service('logs-api', 8083),
      notifier: {
        image: LAMBDA_IMAGE,
        command: ['notifier-entry.handler'],
        ports: [`127.0.0.1:${composeVariable(COMPOSE_VARIABLES.lambdaPort)}:8080`],
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
        depends_on: { ...afterDeps, ...healthy('ecs-api', 'slack-sink', 'logs-api') },
        networks: ['ecs-local'],
        init: true,
        healthcheck: answersHttp(8080),
      },
      ...batchTasks,
    },
  };
}

const NPM_CI_FAILED =
  'npm ci failed in the container. If containers here cannot reach the npm registry, run npm ci on a Linux host and add -f compose.host-modules.yaml to use its node_modules.';

/**
 * The override for a Linux host whose containers cannot reach the npm registry: every container
 * uses the checkout's own node_modules (read-only), and `deps` only checks that it is there.
 */
export function hostModulesOverride(
  document: Record<string, unknown>,
  project: string,
): Record<string, unknown> {
  const services = document.services as Record<string, { volumes?: string[] }>;
  const hostModules = `${project}/node_modules:/app/node_modules:ro`;
  return {
    services: Object.fromEntries(
      Object.entries(services).map(([name, s]) => [
        name,
        {
          // Compose merges volumes by their path in the container, so these replace the volume.
          ...(s.volumes?.includes(NODE_MODULES) ? { volumes: [hostModules] } : {}),
          ...(name === 'deps'
            ? {
                volumes: [`${project}:/app:ro`, hostModules],
                command: [
                  'sh',
                  '-c',
                  `test -d /app/node_modules/tsx || { echo 'no node_modules in the checkout: run npm ci on the host first' >&2; exit 1; }`,
                ],
              }
            : {}),
        },
      ]),
    ),
  };
}

/**
 * Healthy once the server on `port` answers HTTP (any status). Bash, not node or curl: both images
 * have it, and it starts in milliseconds where node takes seconds on a busy machine.
 */
function answersHttp(port: number): Record<string, unknown> {
  const probe = `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && read -r status <&3 && [[ $status == HTTP/1.* ]]`;
  return {
    test: ['CMD', 'bash', '-c', escapeDollars(probe)],
    interval: '2s',
    timeout: '10s',
    retries: 5,
    // A slow machine's first start: failures in this time do not count.
    start_period: '120s',
  };
}

/** Compose interpolates `$VAR` in values; `$$` is a literal dollar. */
export function escapeDollars(value: string): string {
  return value.split('$').join('$$');
}
