import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SERVICE_NAME } from '../lambda/adapters/logger.js';
import { instanceRatePerSecond } from '../lambda/domain/pacing.js';
import { BUNDLED_CONFIG_FILE, ENV } from '../lambda/environment.js';
import type { DeployConfig } from './deploy-config.js';
import { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME } from './lambda-runtime.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * An ESM bundle of the SDK calls `require` for Node built-ins and crashes at load
 * ("Dynamic require of node:https is not supported") unless `require` exists.
 */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface NotifierFunctionProps {
  readonly config: DeployConfig;
  readonly tableName: string;
  readonly role: IRole;
  readonly logGroup: ILogGroup;
  readonly timeout: Duration;
  readonly memorySize: number;
}

/**
 * The notifier Lambda: `lambda/handler.ts` bundled by esbuild (ESM, minified, SDK included), arm64,
 * with the configuration shipped beside it as `notifier-config.json`, read once at cold start: an
 * environment variable would cap it at Lambda's 4 KB (about a dozen sources).
 */
export function createNotifierFunction(
  scope: Construct,
  id: string,
  props: NotifierFunctionProps,
): NodejsFunction {
  const { config } = props;
  const configFile = writeConfigFile(config);
  // Bundling (and the hook that copies the file) runs while the function is constructed.
  try {
    return bundledFunction(scope, id, props, configFile);
  } finally {
    rmSync(path.dirname(configFile), { recursive: true, force: true });
  }
}

function bundledFunction(
  scope: Construct,
  id: string,
  props: NotifierFunctionProps,
  configFile: string,
): NodejsFunction {
  return new NodejsFunction(scope, id, {
    description: 'ECS task state changes to Slack',
    entry: `${REPO_ROOT}lambda/handler.ts`,
    handler: 'handler',
    projectRoot: REPO_ROOT,
    depsLockFilePath: `${REPO_ROOT}package-lock.json`,
    runtime: LAMBDA_RUNTIME,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role: props.role,
    logGroup: props.logGroup,
    environment: {
      [ENV.idempotencyTable]: props.tableName,
      // Every concurrent instance paces itself, so together they stay near Slack's 1 message a second.
      [ENV.slackRate]: String(instanceRatePerSecond(props.config.maxConcurrency)),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: {
      format: OutputFormat.ESM,
      target: `node${LAMBDA_NODE_MAJOR}`,
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      // The SDK is bundled, not taken from the runtime: one file loads faster than node_modules.
      // Only the EC2 client (about 1 MB, loaded lazily and only for sources told apart by vpcId)
      // comes from the runtime's own SDK.
      externalModules: ['@aws-sdk/client-ec2'],
      mainFields: ['module', 'main'],
      banner: CREATE_REQUIRE_BANNER,
      forceDockerBundling: false,
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        // Node copies the file, so the hook needs no shell tool and works wherever synth runs.
        afterBundling: (_input, output) => [
          `"${process.execPath}" -e "require('fs').copyFileSync(process.argv[1], process.argv[2])" "${configFile}" "${path.join(output, BUNDLED_CONFIG_FILE)}"`,
        ],
      },
    },
  });
}

/** The configuration as the function reads it, in a file of its own for the bundling hook to copy. */
function writeConfigFile(config: DeployConfig): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ecs-task-notifier-config-')), BUNDLED_CONFIG_FILE);
  writeFileSync(file, `${JSON.stringify(config)}\n`);
  return file;
}
