// The CDK app (`cdk.json` runs it): reads the context once, validates it, builds the stacks.
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import {
  alarmHint,
  batchHint,
  CONTEXT_FILE_KEY,
  CONTEXT_KEY,
  DeployConfigError,
  launchHint,
  logTailHint,
  readDeployConfig,
  unreachableRouteWarnings,
} from '../lib/deploy-config.js';
import { runtimeConfigOf } from '../lib/deploy-schema.js';
import { addNotifierStacks } from '../lib/notifier-app.js';
import { checkQuotas } from '../lib/quota-check.js';
import { writeComposeFixture } from '../local/compose.js';

const app = new App();

try {
  const config = readDeployConfig({
    inline: app.node.tryGetContext(CONTEXT_KEY),
    file: app.node.tryGetContext(CONTEXT_FILE_KEY),
  });
  // On stderr: stdout stays the template's (`cdk synth` prints it there).
  const hints = [logTailHint(config), launchHint(config), batchHint(config)];
  for (const line of [...hints, ...unreachableRouteWarnings(config), alarmHint(config)]) {
    if (line) console.error(line);
  }
  addNotifierStacks(app, config);
  // AWS's quotas, measured on the templates as synthesized: a layout that would not deploy stops here.
  checkQuotas(app.synth());
  await writeComposeFixture(runtimeConfigOf(config), path.join(app.outdir, 'local'));
} catch (error) {
  if (!(error instanceof DeployConfigError)) throw error;
  // One line naming the key; a stack trace would only hide it.
  console.error(error.message);
  process.exit(1);
}
