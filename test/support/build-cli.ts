// vitest's globalSetup: every test run builds the CLI from the current sources first, so tests
// that run `bin/ecs-task-notifier.js` never test a stale dist/.
import { buildCli } from '../../scripts/build-cli.js';

export async function setup(): Promise<void> {
  await buildCli();
}
