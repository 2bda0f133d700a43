import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { ReceivedMessage } from '../local/slack-html.js';
import type { SlackSink } from '../local/slack-sink.js';
import type { Account } from './aws.js';
import type { DeployedNotifier } from './deployed.js';
import type { Moto } from './moto.js';
import { type Invocation, pollOnce } from './poller.js';
import type { Network, StoppedTask } from './world.js';

/** Everything the checks act on: moto, the sink, the two accounts, what was deployed. */
export interface World {
  repo: string;
  moto: Moto;
  sink: SlackSink;
  /** The secret part of the webhook URL: it must never show in what the handler prints. */
  webhookToken: string;
  /** The Slack app's bot token, in its secret: it must never show either. */
  botToken: string;
  notifier: Account;
  clusters: Account;
  networks: { a: Network; b: Network };
  clusterNames: { jobs: string; remote: string };
  deployed: DeployedNotifier;
  /** Everything every handler invocation printed. */
  outputs: string[];
}

/** A delivery through the deployed path: the stops, the invocation, and the posts it made. */
export interface Delivery {
  stops: StoppedTask[];
  invocation: Invocation;
  posts: ReceivedMessage[];
}

/**
 * Puts `entries` on the default bus of `from` (EventBridge → rule → queue), then lets the handler
 * take the `expected` messages that arrive, as `credentials`; returns what the sink received meanwhile.
 */
export async function deliver(
  world: World,
  options: {
    from: Account;
    entries: PutEventsRequestEntry[];
    expected: number;
    credentials?: AwsCredentialIdentity;
    poller?: Account;
  },
): Promise<{ invocation: Invocation; posts: ReceivedMessage[] }> {
  const put = await options.from.clients.events.send(new PutEventsCommand({ Entries: options.entries }));
  if (put.FailedEntryCount)
    throw new Error(`PutEvents failed ${put.FailedEntryCount} entries: ${JSON.stringify(put.Entries)}`);
  const before = world.sink.messages().length;
  const invocation = await pollOnce(
    {
      repo: world.repo,
      endpoint: world.moto.url,
      deployed: world.deployed,
      credentials: options.credentials ?? world.notifier.config.credentials,
      sqs: (options.poller ?? world.notifier).clients.sqs,
      slackApiUrl: world.sink.apiUrl,
    },
    options.expected,
  );
  world.outputs.push(invocation.output);
  return { invocation, posts: world.sink.messages().slice(before) };
}

/** Messages in the event queue: visible, and in flight (received, not yet deleted). */
export async function queueDepth(
  world: World,
  as: Account = world.notifier,
): Promise<{ visible: number; inFlight: number }> {
  const { Attributes: a = {} } = await as.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: world.deployed.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** The post about one task, found by its task ID; JSON text, so checks can search it. */
export function postAbout(posts: readonly ReceivedMessage[], taskId: string): string | undefined {
  return posts.map((p) => JSON.stringify(p.payload)).find((text) => text.includes(taskId));
}

/** Remembers the first result of `make`: later checks share one delivery, or its failure. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= make();
    return promise;
  };
}
