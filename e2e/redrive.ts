import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { GetQueueUrlCommand, ListQueuesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Account } from './aws.js';
import { pollOnce } from './poller.js';
import { expectThat } from './report.js';
import { postAbout, queueDepth, type World } from './scenario.js';
import { runAndStopTask } from './world.js';

/**
 * Events a forwarder could not put on the notifier's bus wait in its dead-letter queue, in the
 * clusters' account. `ecs-task-notifier redrive` moves them to the notifier's queue in the other
 * account, as the docs say, with one AWS profile for each: then they are notified like any other.
 */
export async function forwardedDeadLettersRedriven(world: World): Promise<string> {
  const stops = await Promise.all(
    [1, 2].map((n) =>
      runAndStopTask(world.clusters, {
        cluster: world.clusterNames.remote,
        family: 'e2e-remote-job',
        exitCode: n,
      }),
    ),
  );
  const dlqUrl = await forwardDeadLetterQueue(world.clusters);
  await world.clusters.clients.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: dlqUrl,
      Entries: stops.map((s, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify(asDelivered(s.entry, world.clusters.id)),
      })),
    }),
  );
  const { stdout, stderr, code } = await redrive(world, dlqUrl);
  expectThat(code === 0, `redrive exited ${code}: ${stderr.trim()}`);
  expectThat(stdout.includes('moved 2 messages; 0 left'), `redrive said ${JSON.stringify(stdout.trim())}`);
  const before = world.sink.messages().length;
  const invocation = await pollOnce(
    {
      repo: world.repo,
      endpoint: world.moto.url,
      deployed: world.deployed,
      credentials: world.notifier.config.credentials,
      sqs: world.notifier.clients.sqs,
      slackApiUrl: world.sink.apiUrl,
    },
    2,
  );
  world.outputs.push(invocation.output);
  const posts = world.sink.messages().slice(before);
  for (const stop of stops)
    expectThat(postAbout(posts, stop.taskId), `no post about redriven task ${stop.taskId}`);
  const depth = await queueDepth(world);
  expectThat(depth.visible + depth.inFlight === 0, `the queue still holds ${JSON.stringify(depth)}`);
  return `2 dead letters in ${world.clusters.id} moved by redrive --from-profile/--to-profile, then notified from ${world.notifier.id}`;
}

async function forwardDeadLetterQueue(account: Account): Promise<string> {
  const { QueueUrls = [] } = await account.clients.sqs.send(new ListQueuesCommand({}));
  const url = QueueUrls.find((u) => /ForwardDeadLetterQueue/i.test(u));
  if (!url) throw new Error(`no forwarder dead-letter queue in ${account.id}: ${QueueUrls.join(', ')}`);
  // The queue URL as the account itself names it.
  const name = url.split('/').at(-1) as string;
  return (await account.clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? url;
}

/** A put entry as EventBridge delivers the event to a target (its dead-letter queue included). */
function asDelivered(entry: PutEventsRequestEntry, account: string): Record<string, unknown> {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account,
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail ?? '{}'),
  };
}

/** The built CLI, as a user runs it, with a profile for each account in a credentials file of its own. */
async function redrive(
  world: World,
  dlqUrl: string,
): Promise<{ stdout: string; stderr: string; code: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'e2e-redrive-'));
  try {
    const profile = (name: string, account: Account) => {
      const c = account.config.credentials;
      return `[${name}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\naws_session_token = ${c.sessionToken ?? ''}\n`;
    };
    const credentials = path.join(dir, 'credentials');
    writeFileSync(
      credentials,
      `${profile('partner', world.clusters)}\n${profile('notifier', world.notifier)}`,
    );
    const args = [
      path.join(world.repo, 'bin/ecs-task-notifier.js'),
      'redrive',
      '--from',
      dlqUrl,
      '--from-profile',
      'partner',
      '--to',
      world.deployed.queueUrl,
      '--to-profile',
      'notifier',
    ];
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ENDPOINT_URL: world.moto.url,
      AWS_REGION: 'us-east-1',
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { env, timeout: 120_000 });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; code?: number };
      return { stdout: e.stdout ?? '', stderr: e.stderr ?? String(error), code: e.code ?? 1 };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
