// The CDK app (`cdk.json` runs it): reads the context once, validates it, builds the stacks.
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import {
  CONTEXT_FILE_KEY,
  CONTEXT_KEY,
  type DeployConfig,
  DeployConfigError,
  logTailHint,
  readDeployConfig,
  unreachableRouteWarnings,
} from '../lib/deploy-config.js';
import { addNotifierStacks } from '../lib/notifier-app.js';
import { writeComposeFixture } from '../local/compose.js';

const app = new App();

let config: DeployConfig;
try {
  config = readDeployConfig({
    inline: app.node.tryGetContext(CONTEXT_KEY),
    file: app.node.tryGetContext(CONTEXT_FILE_KEY),
  });
} catch (error) {
  if (!(error instanceof DeployConfigError)) throw error;
  // One line naming the key; a stack trace would only hide it.
  console.error(error.message);
  process.exit(1);
}

// On stderr: stdout stays the template's (`cdk synth` prints it there).
const hint = logTailHint(config);
if (hint) console.error(hint);
for (const warning of unreachableRouteWarnings(config)) console.error(warning);

addNotifierStacks(app, config);
await writeComposeFixture(config, path.join(app.outdir, 'local'));
