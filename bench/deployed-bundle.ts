import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { parseDeployConfig } from '../lib/deploy-config.js';
import { type DeployedBundle, findDeployedBundle } from '../lib/deployed-bundle.js';
import { addNotifierStacks } from '../lib/notifier-app.js';

/** Synthesizes the app as `bin/app.ts` does, with the Lambda bundled, into a temporary directory. */
export function synthDeployedBundle(config: unknown): DeployedBundle & { outdir: string } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'ecs-task-notifier-bench-cdk-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const { notifier } = addNotifierStacks(app, parseDeployConfig(config));
  return { ...findDeployedBundle(app, notifier), outdir };
}
