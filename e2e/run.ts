// `npm run e2e`: deploys the real app with the CDK CLI into moto (moto_server on a loopback port),
// sends task stops through EventBridge and the deployed queue to the bundle from cdk.out, and
// checks what reaches a local Slack sink. One line per check, then a summary; exits non-zero on
// any failure. Needs moto (`pip install 'moto[server]'`); leaves nothing running or behind.
import { parseArgs } from 'node:util';
import { findMotoServer, INSTALL_MOTO } from './moto.js';

const HELP = `Usage: npm run e2e [-- --verbose]

Starts moto_server on a free loopback port, bootstraps two accounts and deploys the app (the
notifier and a forwarder for the second account) with the CDK CLI, then sends ECS task stops
through EventBridge and the deployed queue to the bundled handler from cdk.out and checks what
reaches a local Slack sink: one line per check, then a summary (under a minute on two idle
cores, two to three on busy ones). Exits non-zero when a check fails or moto is missing
(pip install 'moto[server]'). docs/e2e.md tells what each check shows.

Options:
  --verbose  after each check, print the handler's log lines and the posts on stderr
  --help     show this help
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { verbose: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const executable = findMotoServer();
  if (!executable) {
    console.error(INSTALL_MOTO);
    return 1;
  }
  // Loaded only now: without moto, the one line comes at once.
  const { runE2e } = await import('./session.js');
  return runE2e(executable, { verbose: values.verbose });
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`e2e: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
