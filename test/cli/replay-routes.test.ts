import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { jsonLines, REPO_ROOT, runMain } from '../support/cli.js';

const FAILED = join(REPO_ROOT, 'examples/events/customer-import-failed.json');
const SUCCEEDED = join(REPO_ROOT, 'examples/events/nightly-report-succeeded.json');
const secret = (name: string) =>
  `arn:aws:secretsmanager:eu-west-1:210987654321:secret:ecs-task-notifier/${name}-Xy12Ab`;

/** Two channels: failures to alerts, pinging the on-call group; everything to log. */
const CONFIG = {
  sources: [
    { label: 'batch (vpc-a)', clusterArn: 'arn:aws:ecs:eu-west-1:210987654321:cluster/batch-a' },
    { label: 'batch (vpc-b)', clusterArn: 'arn:aws:ecs:eu-west-1:210987654321:cluster/batch-b' },
  ],
  routes: [
    {
      name: 'alerts',
      match: { outcomes: ['failed'] },
      webhookSecretArn: secret('alerts'),
      mention: { groups: ['S0614TZR7'] },
    },
    { name: 'log', webhookSecretArn: secret('log') },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'replay-routes-'));
const configFile = join(dir, 'routes.json');
writeFileSync(configFile, JSON.stringify(CONFIG));

let sink: SlackSink;
beforeAll(async () => {
  sink = await startSlackSink({ port: 0 });
});
afterAll(async () => {
  await sink?.close();
});
beforeEach(async () => {
  await fetch(`${sink.url}/messages`, { method: 'DELETE' });
});

const hooks = () => sink.messages().map((m) => m.path);

describe('replay with routes', () => {
  it('says per event which routes took it, with the message each would get', async () => {
    const { code, stdout } = await runMain([
      'replay',
      '--dry-run',
      '--json',
      '--config',
      configFile,
      FAILED,
      SUCCEEDED,
    ]);

    expect(code).toBe(0);
    const [failed, succeeded] = jsonLines(stdout);
    expect(failed?.routes).toEqual([
      { name: 'alerts', status: 'notified', reason: null, digest: null },
      { name: 'log', status: 'notified', reason: null, digest: null },
    ]);
    expect(succeeded?.routes).toEqual([{ name: 'log', status: 'notified', reason: null, digest: null }]);
    // The message shown is the first route's: the alerts one, with its mention.
    expect((failed?.message as { text?: string } | undefined)?.text).toMatch(/^<!subteam\^S0614TZR7> :x: /);
  });

  it('posts each route to its own webhook with --route NAME=URL, the mention only where configured', async () => {
    const { code, stdout } = await runMain([
      'replay',
      '--config',
      configFile,
      '--route',
      `alerts=${sink.url}/hook/alerts`,
      '--route',
      `log=${sink.url}/hook/log`,
      FAILED,
      SUCCEEDED,
    ]);

    expect(code).toBe(0);
    expect(hooks().sort()).toEqual(['/hook/alerts', '/hook/log', '/hook/log']);
    const texts = sink.messages().map((m) => [m.path, (m.payload as { text: string }).text] as const);
    expect(texts.filter(([, text]) => text.includes('<!subteam^S0614TZR7>')).map(([path]) => path)).toEqual([
      '/hook/alerts',
    ]);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^2 events → 3 messages, 0 digests; 2 notified/);
  });

  it('sends every route to the one URL of --webhook-url', async () => {
    const { code } = await runMain(['replay', '--config', configFile, '--webhook-url', sink.hookUrl, FAILED]);
    expect(code).toBe(0);
    expect(hooks()).toEqual(['/hook', '/hook']);
  });

  it('skips, saying so once, a route that has no webhook in a live run', async () => {
    const { code, stdout, stderr } = await runMain([
      'replay',
      '--config',
      configFile,
      '--route',
      `alerts=${sink.url}/hook/alerts`,
      FAILED,
    ]);
    expect(code).toBe(0);
    expect(hooks()).toEqual(['/hook/alerts']);
    expect(stderr).toContain('route log has no webhook URL: its messages are skipped');
    expect(stdout).toContain('routes: alerts notified, log skipped');
  });

  it.each([
    [
      ['--route', 'pager=https://hooks.example/x'],
      'the configuration has no route "pager" (its routes: default, alerts, log)',
    ],
    [['--route', 'alerts'], '--route (the 1st one) expects NAME=URL'],
  ])('refuses %j with a usage error', async (args, message) => {
    const { code, stderr } = await runMain(['replay', '--config', configFile, ...args, FAILED]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
