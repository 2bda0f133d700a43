import { ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { checkAccessControl } from './access-control.js';
import { APP_CHANNEL, APP_FAMILY, LABELS, OPS_FAMILY } from './config.js';
import { failedDeploymentConfirmed } from './deployment.js';
import { forwardedDeadLettersRedriven } from './redrive.js';
import { expectThat } from './report.js';
import { type Delivery, deliver, once, postAbout, queueDepth, type World } from './scenario.js';
import { runAndStopTask } from './world.js';

/** The last line the failed task printed: the message must show it. */
const LAST_LOG_LINE = 'Error: report weekly has no template';

/** A check: its one-line name, and what it does (resolving to a few words on what it saw). */
export interface Check {
  name: string;
  act: () => Promise<string>;
}

/** The checks, in the order they run; some share the first delivery. */
export function e2eChecks(world: World): Check[] {
  const first = once(() => firstDelivery(world));
  return [
    { name: 'one post per stop', act: () => onePostPerStop(world, first) },
    { name: 'cross-check confirmed by DescribeTasks', act: () => crossCheckConfirmed(first) },
    { name: 'source told by subnet (and by VPC)', act: () => sourceToldBySubnet(world, first) },
    { name: 'log links and tail', act: () => logLinksAndTail(first) },
    { name: 'ledger item in DynamoDB', act: () => ledgerItems(world, first) },
    { name: 'the same stops again post nothing', act: () => sameStopsAgain(world, first) },
    { name: 'unreadable secret: record back to the queue', act: () => unreadableSecret(world) },
    { name: 'failed deployment, by DescribeServices', act: () => failedDeploymentConfirmed(world) },
    { name: 'forwarder in the second account delivers', act: () => forwarderDelivers(world) },
    { name: "redrive of the forwarder's dead letters", act: () => forwardedDeadLettersRedriven(world) },
    { name: "access control: only the role's actions", act: () => checkAccessControl(world) },
    { name: 'app mode: a channel through the Web API', act: () => channelThroughWebApi(world) },
    { name: 'no webhook URL or token in the output', act: async () => webhookNeverPrinted(world) },
  ];
}

/** A failed stop in subnet A with log lines, a succeeded one in VPC B, put on the bus together. */
async function firstDelivery(world: World): Promise<Delivery> {
  const cluster = world.clusterNames.jobs;
  const failed = await runAndStopTask(world.notifier, {
    cluster,
    family: 'e2e-report',
    exitCode: 3,
    subnetId: world.networks.a.subnetId,
    logLines: ['loading 12 reports', LAST_LOG_LINE],
  });
  const succeeded = await runAndStopTask(world.notifier, {
    cluster,
    family: 'e2e-report',
    exitCode: 0,
    subnetId: world.networks.b.subnetId,
  });
  const stops = [failed, succeeded];
  const { invocation, posts } = await deliver(world, {
    from: world.notifier,
    entries: stops.map((s) => s.entry),
    expected: 2,
  });
  return { stops, invocation, posts };
}

async function onePostPerStop(world: World, first: () => Promise<Delivery>): Promise<string> {
  const { stops, invocation, posts } = await first();
  expectThat(
    invocation.failedIds.length === 0,
    `the handler reported ${invocation.failedIds.length} failures`,
  );
  expectThat(posts.length === stops.length, `${stops.length} stops made ${posts.length} posts`);
  for (const stop of stops) {
    const about = posts.filter((p) => JSON.stringify(p.payload).includes(stop.taskId));
    expectThat(about.length === 1, `${about.length} posts about task ${stop.taskId}`);
  }
  const depth = await queueDepth(world);
  expectThat(depth.visible + depth.inFlight === 0, `the queue still holds ${JSON.stringify(depth)}`);
  return `${stops.length} stops, one batch of ${invocation.records.length}, ${posts.length} posts; queue empty`;
}

async function crossCheckConfirmed(first: () => Promise<Delivery>): Promise<string> {
  const { stops, invocation, posts } = await first();
  for (const stop of stops) {
    const post = postAbout(posts, stop.taskId) ?? '';
    expectThat(
      post.includes('e2e-report:1') && post.includes('confirmed by DescribeTasks'),
      `no confirmation in the post about ${stop.taskId}`,
    );
  }
  const checks = invocation.logs.filter((l) => l.message === 'task event notified').map((l) => l.crossCheck);
  expectThat(
    checks.length === stops.length && checks.every((c) => c === 'confirmed'),
    `decision logs say crossCheck ${JSON.stringify(checks)}`,
  );
  return 'both posts about e2e-report:1 say "confirmed by DescribeTasks"';
}

async function sourceToldBySubnet(world: World, first: () => Promise<Delivery>): Promise<string> {
  const { stops, posts } = await first();
  const [inSubnetA, inVpcB] = stops.map((s) => postAbout(posts, s.taskId) ?? '');
  const { a, b } = world.networks;
  expectThat(inSubnetA?.includes(LABELS.bySubnet), `the subnet-A stop is not labelled ${LABELS.bySubnet}`);
  expectThat(inSubnetA?.includes(a.vpcId), `the subnet-A stop does not name ${a.vpcId}`);
  expectThat(inVpcB?.includes(LABELS.byVpc), `the VPC-B stop is not labelled ${LABELS.byVpc}`);
  expectThat(inVpcB?.includes(b.vpcId), `the VPC-B stop does not name ${b.vpcId}`);
  return `subnet A → "${LABELS.bySubnet}", VPC B (DescribeSubnets, the runtime's client-ec2) → "${LABELS.byVpc}"`;
}

async function logLinksAndTail(first: () => Promise<Delivery>): Promise<string> {
  const { stops, posts } = await first();
  const [failed, succeeded] = stops;
  const failedPost = postAbout(posts, failed?.taskId ?? '-') ?? '';
  const link = `log-group/$252Fecs$252Fe2e-report/log-events/ecs$252Fmain$252F${failed?.taskId}`;
  expectThat(failedPost.includes(link), "the failed stop's post has no link to its log stream");
  expectThat(failedPost.includes('Last log lines'), "the failed stop's post shows no log lines");
  expectThat(
    failedPost.includes(LAST_LOG_LINE),
    `the failed stop's post lacks its last line "${LAST_LOG_LINE}"`,
  );
  const succeededPost = postAbout(posts, succeeded?.taskId ?? '-') ?? '';
  expectThat(succeededPost.includes('|log stream>'), "the succeeded stop's post has no log link");
  expectThat(!succeededPost.includes('Last log lines'), "the succeeded stop's post shows log lines");
  return 'failed: stream link and last line from CloudWatch Logs; succeeded: link only';
}

async function ledgerItems(world: World, first: () => Promise<Delivery>): Promise<string> {
  const { posts } = await first();
  const { Items = [] } = await world.notifier.clients.dynamodb.send(
    new ScanCommand({ TableName: world.deployed.tableName }),
  );
  const completed = Items.filter((item) => item.status?.S === 'COMPLETED');
  expectThat(
    completed.length === posts.length,
    `${completed.length} COMPLETED items for ${posts.length} posts`,
  );
  const hours = completed.map((item) => (Number(item.expiration?.N) - Date.now() / 1000) / 3600);
  // Powertools rounds the expiry to the nearest second, so it may lie up to half a second past 48 h.
  expectThat(
    hours.every((h) => h > 47 && h < 48.01),
    `items expire in ${hours.map((h) => h.toFixed(1)).join(', ')} h, not 48`,
  );
  return `${completed.length} COMPLETED items in ${world.deployed.tableName.slice(0, 40)}…, expiring in 48 h`;
}

async function sameStopsAgain(world: World, first: () => Promise<Delivery>): Promise<string> {
  const { stops } = await first();
  const { invocation, posts } = await deliver(world, {
    from: world.notifier,
    entries: stops.map((s) => s.entry),
    expected: stops.length,
  });
  expectThat(posts.length === 0, `${posts.length} posts for stops already notified`);
  expectThat(invocation.failedIds.length === 0, `${invocation.failedIds.length} records reported failed`);
  const duplicates = invocation.logs.filter((l) => String(l.reason ?? '').startsWith('duplicate'));
  expectThat(duplicates.length === stops.length, `${duplicates.length} decision logs say duplicate`);
  return `${stops.length} events again through the bus and queue: 0 posts, logged duplicate`;
}

async function unreadableSecret(world: World): Promise<string> {
  const stop = await runAndStopTask(world.notifier, {
    cluster: world.clusterNames.jobs,
    family: OPS_FAMILY,
    exitCode: 1,
    subnetId: world.networks.a.subnetId,
  });
  const { invocation, posts } = await deliver(world, {
    from: world.notifier,
    entries: [stop.entry],
    expected: 1,
  });
  const [record] = invocation.records;
  expectThat(posts.length === 0, `${posts.length} posts, expected none`);
  expectThat(
    record && invocation.failedIds.includes(record.messageId),
    'the handler did not report the record failed',
  );
  const unavailable = invocation.logs.find(
    (l) => l.message === 'route webhook unavailable' && l.route === 'ops',
  );
  expectThat(unavailable, "no log line says the ops route's webhook is unavailable");
  const { sqs } = world.notifier.clients;
  const queueUrl = world.deployed.queueUrl;
  // Held back by the handler (a minute after its first receive), not handed out again at once.
  const early = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
  expectThat(
    !early.Messages?.some((m) => m.MessageId === record.messageId),
    'the failed record came back at once: the handler did not hold it back',
  );
  // Its wait elapsing, without the wait: the record must come back as it was.
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: 0,
    }),
  );
  const again = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      WaitTimeSeconds: 1,
    }),
  );
  const back = again.Messages?.find((m) => m.MessageId === record.messageId);
  expectThat(back, 'the record is not in the queue any more');
  const receives = back.Attributes?.ApproximateReceiveCount;
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: back.ReceiptHandle }));
  return `0 posts; reported in batchItemFailures; held back, then received again (receive #${receives}); log: ${String(unavailable.error).split(': ').at(-1)}`;
}

async function forwarderDelivers(world: World): Promise<string> {
  const lastLine = 'ERROR remote import: 3 rows rejected';
  const stop = await runAndStopTask(world.clusters, {
    cluster: world.clusterNames.remote,
    family: 'e2e-remote-job',
    exitCode: 2,
    logLines: ['INFO remote import started', lastLine],
  });
  // Put in the second account: its forwarder rule sends it to the notifier's bus.
  const { invocation, posts } = await deliver(world, {
    from: world.clusters,
    entries: [stop.entry],
    expected: 1,
  });
  expectThat(invocation.failedIds.length === 0, 'the handler reported the forwarded record failed');
  expectThat(posts.length === 1, `${posts.length} posts for the forwarded stop`);
  const post = postAbout(posts, stop.taskId) ?? '';
  expectThat(post.includes(LABELS.remote), `the post is not labelled "${LABELS.remote}"`);
  // The task's details are in the second account: read through its reader role, not our own.
  const decision = invocation.logs.find((l) => l.message === 'task event notified');
  expectThat(decision?.crossCheck === 'confirmed', `cross-check ${decision?.crossCheck}, expected confirmed`);
  expectThat(post.includes(lastLine), "the post lacks the last log line from the second account's logs");
  return `put in ${world.clusters.id}, posted from ${world.notifier.id} as "${LABELS.remote}"; through the reader role: cross-check confirmed, last log line from its CloudWatch Logs`;
}

/**
 * A failed stop of the `oncall` route's family: posted to its channel through the Web API, with the
 * token the function read from its secret (the sink takes no other), and a `ts` to update later.
 */
async function channelThroughWebApi(world: World): Promise<string> {
  const stop = await runAndStopTask(world.notifier, {
    cluster: world.clusterNames.jobs,
    family: APP_FAMILY,
    exitCode: 2,
    subnetId: world.networks.a.subnetId,
  });
  const { invocation, posts } = await deliver(world, {
    from: world.notifier,
    entries: [stop.entry],
    expected: 1,
  });
  expectThat(invocation.failedIds.length === 0, `${invocation.failedIds.length} records failed`);
  // A failure on a channel route: its card at the top, its log tail as the thread's first reply.
  const top = posts.filter((p) => !p.threadTs);
  const replies = posts.filter((p) => p.threadTs);
  const [post] = top;
  expectThat(top.length === 1, `${top.length} top-level posts`);
  expectThat(post?.channel === APP_CHANNEL, `posted to ${post?.channel ?? post?.path}, not ${APP_CHANNEL}`);
  expectThat(
    JSON.stringify(post?.payload).includes(`${APP_FAMILY}:`),
    `the post does not name ${APP_FAMILY}`,
  );
  expectThat(
    replies.every((r) => r.threadTs === post?.ts && r.channel === APP_CHANNEL),
    `replies outside the card's thread: ${JSON.stringify(replies.map((r) => [r.channel, r.threadTs]))}`,
  );
  return `posted to ${APP_CHANNEL} with the token from its secret (ts ${post?.ts}), ${replies.length} reply in its thread`;
}

function webhookNeverPrinted(world: World): string {
  const leaks = world.outputs.filter(
    (output) => output.includes(world.webhookToken) || output.includes(world.botToken.slice(9)),
  );
  expectThat(world.outputs.length > 0, 'the handler never ran');
  expectThat(
    leaks.length === 0,
    `${leaks.length} of ${world.outputs.length} invocations printed the webhook's token or the bot token`,
  );
  return `${world.outputs.length} invocations' output searched`;
}
