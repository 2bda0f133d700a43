// One e2e run: moto, the deploy, the checks, and the clean-up whatever happens.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type SlackSink, startSlackSink } from '../local/slack-sink.js';
import { type Account, accountIn, CLUSTER_ACCOUNT, NOTIFIER_ACCOUNT, REGION } from './aws.js';
import { bootstrap, deployAll } from './cdk.js';
import { e2eChecks } from './checks.js';
import { readDeployedNotifier, stackStatus } from './deployed.js';
import { killGroupNow, type Moto, startMoto, stopGroup } from './moto.js';
import { type CheckResult, expectThat, formatSummary, runCheck } from './report.js';
import type { World } from './scenario.js';
import { prepareWorld } from './setup.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const NOTIFIER_STACK = 'EcsTaskNotifier';

/** What must be stopped or removed however the run ends. */
const running: {
  moto?: Moto;
  sink?: SlackSink;
  children: Set<ChildProcess>;
  accounts: Account[];
  root?: string;
} = {
  children: new Set(),
  accounts: [],
};

async function cleanUp(): Promise<void> {
  await Promise.all([...running.children].map((child) => stopGroup(child)));
  for (const account of running.accounts) account.clients.destroy();
  await running.sink?.close();
  await running.moto?.stop();
  if (running.root) rmSync(running.root, { recursive: true, force: true });
}

/** Set once a signal asked the run to stop: what fails after it is the stop's doing, not a finding. */
let stopping = false;

function printLine(line: string): void {
  if (!stopping) process.stdout.write(`${line}\n`);
}

/** A setup step failed: the checks after it cannot run. */
class SetupFailedError extends Error {}

/**
 * The whole run with moto_server at `executable`: setup steps and checks, one line each, then the
 * summary; stops moto and removes its folder however it ends. Resolves with the exit code.
 */
export async function runE2e(executable: string, options: { verbose: boolean }): Promise<number> {
  installStopHandlers();
  const started = performance.now();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const root = mkdtempSync(path.join(tmpdir(), 'ecs-task-notifier-e2e-'));
  running.root = root;
  const childTmp = path.join(root, 'tmp');
  const emptyDir = path.join(root, 'bootstrap');
  const outdir = path.join(root, 'cdk.out');
  const configFile = path.join(root, 'notifier-config.json');
  mkdirSync(childTmp);
  mkdirSync(emptyDir);

  const results: CheckResult[] = [];
  const step = async (name: string, act: () => Promise<string>) => {
    const result = await runCheck(name, act, printLine);
    results.push(result);
    if (!result.passed) throw new SetupFailedError(name);
  };
  try {
    let moto!: Moto;
    await step('moto_server started', async () => {
      moto = await startMoto(executable, path.join(root, 'moto-recording.jsonl'));
      running.moto = moto;
      return `on 127.0.0.1:${moto.port}`;
    });
    const webhookToken = randomBytes(12).toString('hex');
    const botToken = `xoxb-e2e-${randomBytes(12).toString('hex')}`;
    let prepared!: Awaited<ReturnType<typeof prepareWorld>>;
    let notifier!: Account;
    let clusters!: Account;
    await step('two accounts, VPCs, clusters, secrets', async () => {
      // The sink's Web API takes this token only: the one in the secret, read by the function.
      running.sink = await startSlackSink({ tokens: [botToken] });
      notifier = await accountIn(moto.url, NOTIFIER_ACCOUNT);
      clusters = await accountIn(moto.url, CLUSTER_ACCOUNT);
      running.accounts.push(notifier, clusters);
      prepared = await prepareWorld({
        notifier,
        clusters,
        webhookUrl: `${running.sink.url}/services/T0E2E/B0E2E/${webhookToken}`,
        botToken,
      });
      writeFileSync(configFile, `${JSON.stringify(prepared.config, null, 2)}\n`);
      return `${notifier.id} (notifier), ${clusters.id} (clusters); sink at ${running.sink.url}`;
    });
    const cdkRun = {
      endpoint: moto.url,
      tmpdir: childTmp,
      track: (c: ChildProcess) => running.children.add(c),
    };
    await step('cdk bootstrap of both accounts', async () => {
      await Promise.all([bootstrap(cdkRun, notifier, emptyDir), bootstrap(cdkRun, clusters, emptyDir)]);
      return `aws://${notifier.id}/${REGION}, aws://${clusters.id}/${REGION}`;
    });
    let world!: World;
    await step('cdk deploy of both stacks, fresh', async () => {
      await deployAll(cdkRun, notifier, { repo: REPO, configFile, outdir });
      const forwarder = `EcsTaskEventForwarder-${clusters.id}-${REGION}`;
      const statuses = [await stackStatus(notifier, NOTIFIER_STACK), await stackStatus(clusters, forwarder)];
      expectThat(
        statuses.every((status) => status === 'CREATE_COMPLETE'),
        `stack statuses ${statuses.join(', ')}`,
      );
      const deployed = await readDeployedNotifier(notifier, NOTIFIER_STACK, outdir);
      world = {
        repo: REPO,
        moto,
        sink: running.sink as SlackSink,
        webhookToken,
        botToken,
        notifier,
        clusters,
        deployed,
        outputs: [],
        ...prepared,
      };
      return `${NOTIFIER_STACK} in ${notifier.id}, ${forwarder} in ${clusters.id}: CREATE_COMPLETE`;
    });
    for (const check of e2eChecks(world)) {
      const seen = { outputs: world.outputs.length, posts: world.sink.messages().length };
      results.push(await runCheck(check.name, check.act, printLine));
      if (!options.verbose) continue;
      for (const output of world.outputs.slice(seen.outputs)) process.stderr.write(indent(output));
      for (const post of world.sink.messages().slice(seen.posts))
        process.stderr.write(indent(`posted: ${JSON.stringify(post.payload)}`));
    }
  } catch (error) {
    if (!(error instanceof SetupFailedError)) throw error;
  } finally {
    await cleanUp();
  }
  console.log(formatSummary(results, (performance.now() - started) / 1000));
  return results.every((r) => r.passed) ? 0 : 1;
}

function indent(output: string): string {
  const lines = output.split('\n').filter((line) => line.trim());
  return lines.map((line) => `      ${line}\n`).join('');
}

function installStopHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and relayed by tsx),
    // and a second signal must not kill it before moto is stopped.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`e2e: ${signal}, stopping moto and cleaning up`);
      cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  // The last resort, whatever ended the run: nothing of it keeps running, nothing stays on disk.
  process.on('exit', () => {
    for (const child of [...running.children, ...(running.moto ? [running.moto.process] : [])])
      killGroupNow(child);
    if (running.root) rmSync(running.root, { recursive: true, force: true });
  });
}
