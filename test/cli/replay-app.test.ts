import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { REPO_ROOT, runCli } from '../support/cli.js';

const FAILED = join(REPO_ROOT, 'examples/events/customer-import-failed.json');
const SUCCEEDED = join(REPO_ROOT, 'examples/events/nightly-report-succeeded.json');
const TOKEN = 'xoxb-1111-2222-replaysecret';
const secret = (name: string) =>
  `arn:aws:secretsmanager:eu-west-1:210987654321:secret:ecs-task-notifier/${name}-Xy12Ab`;

/** Failures to the on-call channel (app mode), everything to a log webhook. */
const CONFIG = {
  slackBotTokenSecretArn: secret('slack-bot'),
  routes: [
    { name: 'oncall', match: { outcomes: ['failed'] }, channel: 'C0ONCALL1' },
    { name: 'log', webhookSecretArn: secret('log') },
  ],
};
const dir = mkdtempSync(join(tmpdir(), 'replay-app-'));
const configFile = join(dir, 'app.json');
writeFileSync(configFile, JSON.stringify(CONFIG));

let sink: SlackSink;
beforeAll(async () => {
  sink = await startSlackSink({ tokens: [TOKEN] });
});
afterAll(async () => {
  await sink?.close();
});
beforeEach(async () => {
  await fetch(`${sink.url}/messages`, { method: 'DELETE' });
});

/** The CLI with no Slack variables of this machine's: the test gives what it means to. */
const replay = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(['replay', ...args], { SLACK_WEBHOOK_URL: undefined, ...env });
const where = () => sink.messages().map((m) => m.channel ?? m.path);

describe('replay in app mode', () => {
  it("posts every route to the channel of --channel, with --slack-token, through the sink's Web API", async () => {
    const { code, stdout } = await replay([
      FAILED,
      SUCCEEDED,
      '--slack-token',
      TOKEN,
      '--channel',
      'C0ALERTS1',
      '--slack-api-url',
      sink.apiUrl,
    ]);
    expect(code).toBe(0);
    expect(where()).toEqual(['C0ALERTS1', 'C0ALERTS1']);
    expect(sink.messages()[0]?.ts).toMatch(/^\d+\.\d{6}$/);
    expect(stdout).toMatch(/2 events → 2 messages, 0 digests; 2 notified/);
  });

  it('posts each route where the configuration says, the channel with the token of SLACK_BOT_TOKEN', async () => {
    const { code } = await replay(['--config', configFile, '--route', `log=${sink.url}/hook/log`, FAILED], {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: sink.apiUrl,
    });
    expect(code).toBe(0);
    expect(where().sort()).toEqual(['/hook/log', 'C0ONCALL1']);
  });

  it('takes a channel in --route NAME=ID, and a webhook URL in another, by their shape', async () => {
    const { code } = await replay([
      '--config',
      configFile,
      '--slack-token',
      TOKEN,
      '--slack-api-url',
      sink.apiUrl,
      '--route',
      'oncall=C0OTHER01',
      '--route',
      `log=${sink.url}/hook/log`,
      FAILED,
    ]);
    expect(code).toBe(0);
    expect(where().sort()).toEqual(['/hook/log', 'C0OTHER01']);
  });

  it('skips a configured channel when no bot token is given, saying which channel', async () => {
    const { code, stderr, stdout } = await replay([
      '--config',
      configFile,
      '--route',
      `log=${sink.hookUrl}`,
      FAILED,
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain(
      'route oncall posts to channel C0ONCALL1 in the configuration, but no bot token was given: its messages are skipped',
    );
    expect(stdout).toContain('oncall skipped');
  });

  it('fails the event, never printing the token, when Slack refuses it', async () => {
    const wrong = 'xoxb-9999-8888-wrongsecret';
    const { code, stdout, stderr } = await replay([
      FAILED,
      '--slack-token',
      wrong,
      '--channel',
      'C0ALERTS1',
      '--slack-api-url',
      sink.apiUrl,
      '--verbose',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('invalid_auth');
    expect(stdout + stderr).not.toContain('wrongsecret');
  });

  it.each([
    [
      ['--channel', 'C0ALERTS1'],
      '--channel: a channel is posted to with a bot token: pass --slack-token TOKEN or set SLACK_BOT_TOKEN',
    ],
    [['--route', 'default=C0ALERTS1'], '--route default=…: a channel is posted to with a bot token'],
    [
      ['--slack-token', TOKEN, '--channel', '#alerts'],
      '--channel: expected a channel ID like "C0123456789", not its name',
    ],
    [
      ['--slack-token', TOKEN, '--route', 'default=alerts'],
      '--route default=…: expected a channel ID like "C0123456789", not its name',
    ],
    [
      ['--slack-token', 'xoxa-2-replaysecret', '--channel', 'C0ALERTS1'],
      '--slack-token: the Slack bot token is malformed: it does not start with xoxb-',
    ],
    [
      ['--slack-token', TOKEN, '--channel', 'C0ALERTS1', '--webhook-url', 'https://hooks.example/x'],
      'use either --webhook-url or --channel',
    ],
    [
      ['--slack-token', TOKEN, '--channel', 'C0ALERTS1', '--slack-api-url', 'slack.com/api'],
      '--slack-api-url: the Slack API URL is malformed: it is not a URL',
    ],
  ])('refuses %j with a usage error saying which part is wrong, never the token', async (args, message) => {
    const { code, stderr } = await replay([FAILED, ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('replaysecret');
  });

  it('names SLACK_BOT_TOKEN when the token of the environment is malformed', async () => {
    const { code, stderr } = await replay([FAILED, '--channel', 'C0ALERTS1'], {
      SLACK_BOT_TOKEN: ' xoxb-1-replaysecret',
    });
    expect(code).toBe(2);
    expect(stderr).toContain(
      'SLACK_BOT_TOKEN: the Slack bot token is malformed: it has a space or a line break',
    );
    expect(stderr).not.toContain('replaysecret');
  });

  it('never prints a token pasted where a route name or an event file belongs', async () => {
    const asRoute = await replay([FAILED, '--webhook-url', sink.hookUrl, '--route', `${TOKEN}=C0ALERTS1`]);
    expect(asRoute.stderr).toContain('--route xoxb-…=…: the configuration has no route');
    const asFile = await replay(['--dry-run', TOKEN]);
    expect([asFile.code, asFile.stderr]).toEqual([
      2,
      expect.stringContaining(
        'the first argument is a Slack token, not an event file: give it as --slack-token TOKEN',
      ),
    ]);
    expect(asRoute.stderr + asFile.stderr).not.toContain('replaysecret');
  });
});
