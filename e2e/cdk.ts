import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { spawnChild } from '../bench/child.js';
import { CONTEXT_FILE_KEY } from '../lib/deploy-config.js';
import { type Account, awsEnvironment, REGION } from './aws.js';

/** The CDK CLI of this checkout (`aws-cdk`, a devDependency). */
const CDK_CLI = createRequire(import.meta.url).resolve('aws-cdk/bin/cdk');

export interface CdkRun {
  /** moto's endpoint. */
  endpoint: string;
  /** A folder of the e2e's own: the CLI's and the app's temporary files go there (`TMPDIR`). */
  tmpdir: string;
  /** Kills the child when the e2e is stopped. */
  track(child: ChildProcess): void;
}

/**
 * `cdk bootstrap aws://ACCOUNT/REGION` as that account, from `cwd` (a folder without a
 * `cdk.json`, so no app is synthesized).
 */
export async function bootstrap(run: CdkRun, account: Account, cwd: string): Promise<void> {
  await cdk(run, account, ['bootstrap', `aws://${account.id}/${REGION}`], cwd);
}

/**
 * `cdk deploy --all` of this checkout's app with the configuration in `configFile`, into `outdir`,
 * as the notifier's account: the CLI assumes the bootstrap deploy role of each stack's account.
 */
export async function deployAll(
  run: CdkRun,
  account: Account,
  options: { repo: string; configFile: string; outdir: string },
): Promise<void> {
  await cdk(
    run,
    account,
    [
      'deploy',
      '--all',
      '--require-approval',
      'never',
      '--output',
      options.outdir,
      '--context',
      `${CONTEXT_FILE_KEY}=${options.configFile}`,
    ],
    options.repo,
  );
}

async function cdk(run: CdkRun, account: Account, args: string[], cwd: string): Promise<void> {
  const { child, exited } = spawnChild(process.execPath, [CDK_CLI, ...args, '--no-notices', '--ci'], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: run.tmpdir,
      ...awsEnvironment(run.endpoint, account.config.credentials),
      // moto's CloudFormation reads a template URL as path-style S3 only when it names localhost.
      AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION: run.endpoint.replace('127.0.0.1', 'localhost'),
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CDK_DISABLE_VERSION_CHECK: 'true',
    },
    timeoutMs: 300_000,
    // Its own process group: stopping the e2e ends the CLI and the app it runs.
    detached: true,
  });
  run.track(child);
  await exited;
}
