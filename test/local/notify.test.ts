import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notifyFromTask } from '../../in-task/notify.js';
import { SlackDeliveryError } from '../../lambda/adapters/slack.js';
import type { RunningServer } from '../../local/http.js';
import { snapshotFromResponse, startMetadataServer } from '../../local/metadata-server.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { cleanEnv, FIXTURES, runCli } from './cli.js';

const response = JSON.parse(readFileSync(path.join(FIXTURES, 'v4-ec2-task.json'), 'utf8')) as Record<
  string,
  unknown
>;
const snapshot = snapshotFromResponse(response, 'task-1');
let metadata: RunningServer;
let sink: SlackSink;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  metadata = await startMetadataServer({ snapshots: [snapshot] });
  sink = await startSlackSink();
  env = cleanEnv({
    ECS_CONTAINER_METADATA_URI_V4: `${metadata.url}/v4/${snapshot.id}`,
    SLACK_WEBHOOK_URL: sink.hookUrl,
  });
});
afterAll(async () => {
  await metadata.close();
  await sink.close();
});
afterEach(() => sink.setFailure(null));

describe('notifyFromTask', () => {
  it('posts the text headed with the task identity: cluster + VPC, family:revision', async () => {
    await notifyFromTask({ text: 'export done', env });

    const payload = JSON.stringify(sink.messages().at(-1)?.payload);
    expect(payload).toContain('[batch-ec2 · vpc-0c1d2e3f4a5b6c7d8] invoice-export:12: export done');
    expect(payload).toContain('invoice-export:12 says');
  });

  it('escapes the text so it can neither ping nor link', async () => {
    const { message } = await notifyFromTask({ text: '<!channel> see <http://evil|here>', env });

    expect(message.text).toContain('&lt;!channel&gt; see &lt;http:\u2060//evil|here&gt;');
  });

  it('throws naming SLACK_WEBHOOK_URL when there is no webhook', async () => {
    await expect(notifyFromTask({ text: 'x', env: { ...env, SLACK_WEBHOOK_URL: '' } })).rejects.toThrow(
      /SLACK_WEBHOOK_URL is not set/,
    );
  });

  it('throws a permanent delivery error when Slack refuses, without the URL', async () => {
    sink.setFailure({ status: 404 });

    const error = await notifyFromTask({ text: 'x', env }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect((error as Error).message).not.toContain(sink.hookUrl);
  });
});

describe('notify command', () => {
  it('sends and says what it sent, never the webhook URL', async () => {
    const result = await runCli(['notify', '--text', 'hello from the CLI'], env);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('sent: invoice-export:12 from batch-ec2 · vpc-0c1d2e3f4a5b6c7d8\n');
    expect(result.stdout + result.stderr).not.toContain(sink.hookUrl);
  });

  it('says on stderr why it waits before each retry', async () => {
    sink.setFailure({ status: 503, times: 1 });

    const result = await runCli(['notify', '--text', 'after a hiccup'], env);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^ecs-task-notifier notify: Slack: service_unavailable; trying again in /);
  });

  it('exits 2 without --text', async () => {
    const result = await runCli(['notify'], env);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--text is required');
  });

  it('exits 1 with the Slack error code, not the URL, when Slack refuses', async () => {
    const result = await runCli(
      ['notify', '--text', 'x', '--webhook-url', `${sink.hookUrl}?status=410`],
      env,
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('channel_is_archived');
    expect(result.stderr).not.toContain(sink.url);
  });
});
