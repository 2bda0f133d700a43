import { afterEach, describe, expect, it } from 'vitest';
import { createMemorySentLedger, type SentLedger } from '../../../lambda/adapters/sent-ledger.js';
import { createSlackSender, type SlackSenderOptions } from '../../../lambda/adapters/slack.js';
import { deliverEvaluations } from '../../../lambda/pipeline/deliver.js';
import type { Evaluation } from '../../../lambda/pipeline/evaluate.js';
import { reportFrom } from '../../support/reports.js';
import { type Scripted, type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

let webhook: ScriptedServer | undefined;

afterEach(async () => {
  await webhook?.close();
  webhook = undefined;
});

/** A ready event of its own task (and family, unless given). */
function ready(n: number, family = `job-${n}`): Evaluation {
  const report = reportFrom('ec2-stopped-failed', {
    taskArn: `arn:aws:ecs:us-east-2:444455556666:task/batch-b/${String(n).padStart(32, '0')}`,
    taskId: String(n).padStart(32, '0'),
    family,
  });
  return { status: 'ready', report };
}

async function slack(script: Scripted[], options: SlackSenderOptions = {}) {
  webhook = await startScriptedServer(script);
  // Long enough for a loaded machine to answer the posts that are answered; a silence costs it once.
  return createSlackSender(`${webhook.url}/hook`, { timeoutMs: 2000, ratePerSecond: 1000, ...options });
}

describe('deliverEvaluations when Slack does not answer (the post may have arrived)', () => {
  it('sends once more at once, and once it is answered never again', async () => {
    const sender = await slack([{ hang: true }, { status: 200 }]);
    const ledger = createMemorySentLedger();
    const deadline = Date.now() + 30_000;

    const [first] = await deliverEvaluations([ready(1)], { sender, ledger, deadline });
    const [redelivered] = await deliverEvaluations([ready(1)], { sender, ledger, deadline });

    expect(first).toMatchObject({ status: 'notified', reason: expect.stringContaining('sent once more') });
    expect(redelivered).toMatchObject({ status: 'skipped', reason: expect.stringContaining('duplicate') });
    expect(webhook?.requests).toHaveLength(2);
  });

  it('after a second silence, counts it notified but unconfirmed, and never sends a third time', async () => {
    const sender = await slack([{ hang: true }]);
    const ledger = createMemorySentLedger();
    const deadline = Date.now() + 30_000;

    const [first] = await deliverEvaluations([ready(2)], { sender, ledger, deadline });
    const [redelivered] = await deliverEvaluations([ready(2)], { sender, ledger, deadline });

    expect(first).toMatchObject({ status: 'notified', unconfirmed: true });
    expect(redelivered).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('not sent again'),
    });
    expect(webhook?.requests).toHaveLength(2);
  });

  it('with no time left, returns the stop for a retry that sends it once more', async () => {
    const sender = await slack([{ hang: true }, { status: 200 }]);
    const ledger = createMemorySentLedger();

    const [first] = await deliverEvaluations([ready(3)], { sender, ledger, deadline: Date.now() + 1100 });
    const [retry] = await deliverEvaluations([ready(3)], { sender, ledger, deadline: Date.now() + 30_000 });
    const [again] = await deliverEvaluations([ready(3)], { sender, ledger, deadline: Date.now() + 30_000 });

    expect(first).toMatchObject({ status: 'failed', retryable: true });
    expect(retry).toMatchObject({ status: 'notified' });
    expect(again).toMatchObject({ status: 'skipped' });
    expect(webhook?.requests).toHaveLength(2);
  });

  it('holds every member of a digest to the same rule', async () => {
    const sender = await slack([{ hang: true }]);
    const ledger = createMemorySentLedger();
    const batch = [1, 2, 3, 4, 5, 6].map((n) => ready(10 + n, 'array-job'));
    const options = { sender, ledger, deadline: Date.now() + 30_000, digestThreshold: 5 };

    const first = await deliverEvaluations(batch, options);
    const redelivered = await deliverEvaluations(batch, options);

    expect(first.map((r) => [r.status, r.digest, r.unconfirmed])).toEqual(
      batch.map(() => ['notified', true, true]),
    );
    expect(redelivered.map((r) => r.status)).toEqual(batch.map(() => 'skipped'));
    expect(webhook?.requests).toHaveLength(2);
  });
});

describe('deliverEvaluations when Slack surely did not get the post', () => {
  it('releases the claim, so the retry sends it', async () => {
    const closed = await startScriptedServer([{ status: 200 }]);
    const url = `${closed.url}/hook`;
    await closed.close();
    const ledger: SentLedger = createMemorySentLedger();
    const refused = createSlackSender(url, { maxAttempts: 1 });
    const deadline = Date.now() + 30_000;

    const [first] = await deliverEvaluations([ready(4)], { sender: refused, ledger, deadline });
    const [retry] = await deliverEvaluations([ready(4)], {
      sender: await slack([{ status: 200 }]),
      ledger,
      deadline,
    });

    expect(first).toMatchObject({ status: 'failed', retryable: true });
    expect(retry).toMatchObject({ status: 'notified' });
    expect(webhook?.requests).toHaveLength(1);
  });
});

describe('deliverEvaluations at a slow pace', () => {
  it('plans no more messages than the pace lets start before the deadline, and sends every stop', async () => {
    let clock = 0;
    const now = () => clock;
    // 1 a second, paced at 95 %: sends at 0, 1053 and 2105 ms fit before 4000 - 1000 ms.
    const sender = await slack([{ status: 200 }], {
      ratePerSecond: 1,
      now,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const batch = Array.from({ length: 10 }, (_, n) => ready(20 + n));

    const results = await deliverEvaluations(batch, {
      sender,
      ledger: createMemorySentLedger(),
      deadline: 4000,
      now,
    });

    expect(results.map((r) => r.status)).toEqual(batch.map(() => 'notified'));
    expect(webhook?.requests.length).toBeLessThanOrEqual(3);
    const posted = webhook?.requests.map((r) => r.body).join('\n') ?? '';
    for (const n of batch.keys()) expect(posted).toContain(String(20 + n).padStart(32, '0'));
  });
});

describe('deliverEvaluations on several routes', () => {
  let alerts: ScriptedServer;
  let log: ScriptedServer;

  afterEach(async () => {
    await Promise.all([alerts?.close(), log?.close()]);
  });

  const routeOf = () => ['alerts', 'log'];

  it("holds back no route for another's 429", async () => {
    let logGotBoth: () => void = () => {};
    const both = new Promise<void>((resolve) => {
      logGotBoth = resolve;
    });
    // alerts answers its first post with a 429, and only once log has received both of its posts.
    alerts = await startScriptedServer([
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' }, until: both },
      { status: 200 },
    ]);
    log = await startScriptedServer(({ index }) => {
      if (index === 1) logGotBoth();
      return { status: 200 };
    });
    const routes = new Map([
      ['alerts', { sender: createSlackSender(`${alerts.url}/hook`, { ratePerSecond: 1000 }) }],
      ['log', { sender: createSlackSender(`${log.url}/hook`, { ratePerSecond: 1000 }) }],
    ]);

    const [result] = await deliverEvaluations([ready(39), ready(38)], {
      routes,
      routeOf,
      deadline: Date.now() + 30_000,
    });

    expect(result?.routes?.map((r) => r.status)).toEqual(['notified', 'notified']);
    // Had log waited for alerts, alerts' first answer would never have come.
    const alertsRetried = alerts.requests[1]?.at ?? 0;
    expect(log.requests.map((r) => r.at <= alertsRetried)).toEqual([true, true]);
  });

  it('sends again only on the route that failed', async () => {
    // The alerts webhook says "wait 30 s" once; the log webhook is healthy.
    alerts = await startScriptedServer([
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } },
      { status: 200 },
    ]);
    log = await startScriptedServer([{ status: 200 }]);
    const routes = new Map([
      ['alerts', { sender: createSlackSender(`${alerts.url}/hook`, { ratePerSecond: 1000 }) }],
      ['log', { sender: createSlackSender(`${log.url}/hook`, { ratePerSecond: 1000 }) }],
    ]);
    const ledger = createMemorySentLedger();
    const started = Date.now();

    const [first] = await deliverEvaluations([ready(40)], {
      routes,
      routeOf,
      ledger,
      deadline: started + 4000,
    });
    const logAnsweredWithin = log.requests.length === 1 ? Date.now() - started : undefined;
    const [retry] = await deliverEvaluations([ready(40)], {
      routes,
      routeOf,
      ledger,
      deadline: Date.now() + 60_000,
    });

    expect(first?.status).toBe('failed');
    expect(first?.retryable).toBe(true);
    expect(first?.routes?.map((r) => [r.route, r.status])).toEqual([
      ['alerts', 'failed'],
      ['log', 'notified'],
    ]);
    expect(logAnsweredWithin).toBeDefined();
    expect(retry?.routes?.map((r) => [r.route, r.status])).toEqual([
      ['alerts', 'notified'],
      ['log', 'skipped'],
    ]);
    expect([alerts.requests.length, log.requests.length]).toEqual([2, 1]);
  });

  it("keeps the route's mention when Slack refuses the blocks and the plain-text message goes instead", async () => {
    alerts = await startScriptedServer([{ status: 400, body: 'invalid_payload' }, { status: 200 }]);
    const mention = { users: [], groups: ['S0614TZR7'], here: false, onOutcomes: ['failed' as const] };
    const routes = new Map([
      ['alerts', { sender: createSlackSender(`${alerts.url}/hook`, { ratePerSecond: 1000 }), mention }],
    ]);

    const [result] = await deliverEvaluations([ready(43)], {
      routes,
      routeOf: () => ['alerts'],
      deadline: Date.now() + 30_000,
    });

    expect(result?.status).toBe('notified');
    const [refused, fallback] = alerts.requests.map(
      (r) => JSON.parse(r.body) as { text: string; blocks?: unknown },
    );
    expect(refused?.blocks).toBeDefined();
    expect(fallback?.blocks).toBeUndefined();
    expect(fallback?.text.startsWith('<!subteam^S0614TZR7> ')).toBe(true);
  });

  it('skips successes on a route that shows none, naming the key, and sends them on the others as one line', async () => {
    alerts = await startScriptedServer([{ status: 200 }]);
    log = await startScriptedServer([{ status: 200 }]);
    const routes = new Map([
      [
        'alerts',
        {
          sender: createSlackSender(`${alerts.url}/hook`, { ratePerSecond: 1000 }),
          successes: 'none' as const,
        },
      ],
      ['log', { sender: createSlackSender(`${log.url}/hook`, { ratePerSecond: 1000 }) }],
    ]);
    const success: Evaluation = { status: 'ready', report: reportFrom('fargate-stopped-succeeded') };

    const [result] = await deliverEvaluations([success], { routes, routeOf, deadline: Date.now() + 30_000 });

    expect(result).toMatchObject({
      status: 'notified',
      routes: [
        {
          route: 'alerts',
          status: 'skipped',
          reason: 'successes are not sent on route alerts (successes: none)',
        },
        { route: 'log', status: 'notified' },
      ],
    });
    expect(alerts.requests).toHaveLength(0);
    expect(JSON.parse(log.requests[0]?.body ?? '{}')).not.toHaveProperty('attachments');
  });

  it('sends a failure on a route that shows no successes', async () => {
    alerts = await startScriptedServer([{ status: 200 }]);
    const routes = new Map([
      [
        'alerts',
        {
          sender: createSlackSender(`${alerts.url}/hook`, { ratePerSecond: 1000 }),
          successes: 'none' as const,
        },
      ],
    ]);

    const [result] = await deliverEvaluations([ready(40)], {
      routes,
      routeOf: () => ['alerts'],
      deadline: Date.now() + 30_000,
    });

    expect(result).toMatchObject({ status: 'notified' });
    expect(alerts.requests).toHaveLength(1);
  });

  it('skips, naming it, a route that has no webhook', async () => {
    log = await startScriptedServer([{ status: 200 }]);
    const routes = new Map([
      ['log', { sender: createSlackSender(`${log.url}/hook`, { ratePerSecond: 1000 }) }],
    ]);
    const [result] = await deliverEvaluations([ready(41)], {
      routes,
      routeOf,
      deadline: Date.now() + 30_000,
    });
    expect(result).toMatchObject({ status: 'notified', reason: 'alerts: no webhook for route alerts' });
  });

  it('fails for a retry a route whose webhook secret could not be read, and sends the others', async () => {
    log = await startScriptedServer([{ status: 200 }]);
    const routes = new Map([
      ['alerts', { failure: 'could not read secret arn:…:alerts: AccessDeniedException' }],
      ['log', { sender: createSlackSender(`${log.url}/hook`, { ratePerSecond: 1000 }) }],
    ]);
    const [result] = await deliverEvaluations([ready(42)], {
      routes,
      routeOf,
      deadline: Date.now() + 30_000,
    });
    expect(result).toMatchObject({ status: 'failed', retryable: true });
    expect(result?.reason).toContain('alerts: could not read secret');
    expect(log.requests).toHaveLength(1);
  });
});
