import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonLines, runMain } from '../support/cli.js';
import { loadEvent } from '../support/fixtures.js';
import { type ScriptedServer, startScriptedServer } from '../support/scripted-server.js';

const dir = mkdtempSync(join(tmpdir(), 'replay-nothing-lost-'));
const write = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const SECRET = 'secret-token-in-the-path';

/** A stop of its own task, cluster batch-a in eu-west-1. */
function stop(n: number, family = `job-${n}`) {
  const event = loadEvent('fargate-stopped-succeeded');
  event.detail.taskArn = `arn:aws:ecs:eu-west-1:111122223333:task/batch-a/${String(n).padStart(32, '0')}`;
  event.detail.taskDefinitionArn = `arn:aws:ecs:eu-west-1:111122223333:task-definition/${family}:3`;
  return event;
}

let servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function webhook(...args: Parameters<typeof startScriptedServer>) {
  const server = await startScriptedServer(...args);
  servers.push(server);
  return server;
}

describe('replay judges every event alone', () => {
  it('rejects an event whose ARN region holds a lone surrogate, naming the field, and posts the others', async () => {
    const slack = await webhook([{ status: 200 }]);
    const bad = stop(2);
    bad.detail.taskArn =
      'arn:aws:ecs:eu-west-1\ud800:111122223333:task/batch-a/00000000000000000000000000000002';
    const file = write('surrogate.json', JSON.stringify([stop(1), bad, stop(3)]));

    const { code, stdout } = await runMain(['replay', '--json', '--webhook-url', `${slack.url}/hook`, file]);

    expect(code).toBe(1);
    expect(jsonLines(stdout).map((l) => l.status)).toEqual(['notified', 'rejected', 'notified']);
    expect(jsonLines(stdout)[1]?.reason).toContain('detail.taskArn');
    expect(slack.requests).toHaveLength(2);
  });
});

describe('replay counts only what Slack accepted as delivered', () => {
  it.each([301, 302, 307])(
    'reports a %i from the webhook as failed, exit 1, never notified',
    async (status) => {
      const slack = await webhook([{ status, headers: { location: 'https://example.com/' } }]);
      const file = write(`redirect-${status}.json`, JSON.stringify(stop(10)));

      const { code, stdout } = await runMain([
        'replay',
        '--json',
        '--webhook-url',
        `${slack.url}/hook`,
        file,
      ]);

      expect(code).toBe(1);
      const [line] = jsonLines(stdout);
      expect(line).toMatchObject({ status: 'failed' });
      expect(line?.reason).toContain('redirect');
      expect(slack.requests).toHaveLength(1);
    },
  );

  it('refuses, before sending anything, a webhook on a port fetch refuses', async () => {
    const file = write('blocked-port.json', JSON.stringify(stop(11)));
    const { code, stderr } = await runMain([
      'replay',
      '--webhook-url',
      `http://127.0.0.1:6000/services/${SECRET}`,
      file,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--webhook-url: the webhook URL is malformed: its port 6000');
    expect(stderr).not.toContain(SECRET);
  });
});

describe('replay keeps each route independent across its chunks of 100', () => {
  it("posts the log route's 101st event while the alerts route is still waiting on its first message", async () => {
    let logSecondArrived: () => void = () => {};
    const logSecond = new Promise<void>((resolve) => {
      logSecondArrived = resolve;
    });
    // alerts answers its first post only once log has received its second: chunk 2's message.
    const alerts = await webhook([{ status: 200, until: logSecond }, { status: 200 }]);
    const log = await webhook(({ index }) => {
      if (index === 1) logSecondArrived();
      return { status: 200 };
    });
    const config = write(
      'two-routes.json',
      JSON.stringify({
        routes: [
          {
            name: 'alerts',
            webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:alerts-AbCdEf',
          },
          {
            name: 'log',
            webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:log-AbCdEf',
          },
        ],
      }),
    );
    // 101 stops of one family: chunk 1 makes one digest per route, chunk 2 one message per route.
    const events = write(
      'chunks.jsonl',
      Array.from({ length: 101 }, (_, i) => JSON.stringify(stop(100 + i, 'array-job'))).join('\n'),
    );

    const { code, stdout } = await runMain([
      'replay',
      '--config',
      config,
      '--route',
      `alerts=${alerts.url}/hook`,
      '--route',
      `log=${log.url}/hook`,
      events,
    ]);

    expect(code).toBe(0);
    expect(stdout).toContain('101 events → 2 messages, 2 digests');
    // Had chunk 2 waited for chunk 1 on every route, alerts' first answer would never have come.
    expect(log.requests.length).toBe(2);
    expect(alerts.requests.length).toBe(2);
    expect(log.requests[1]?.at).toBeLessThanOrEqual(alerts.requests[1]?.at ?? 0);
  });
});

describe('replay prints nothing a terminal acts on, and no secret', () => {
  it('escapes bidi and C1 control characters from events and file names in --json', async () => {
    const event = { 'detail-type': 'x\u202e\u009b[2J', source: 'aws.ecs', detail: {} };
    const file = write('odd\u202ename\u009b.json', JSON.stringify(event));

    const { stdout } = await runMain(['replay', '--dry-run', '--json', file]);

    expect(stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(stdout).toContain('\\u202e');
    const [line] = jsonLines(stdout);
    expect(line?.reason).toContain('x\u202e\u009b[2J');
    expect(line?.file).toBe(file);
  });

  it.each([
    ['a trailing space', `alerts=https://hooks.slack.com/services/T0/B0/${SECRET} `],
    ['a trailing carriage return', `alerts=https://hooks.slack.com/services/T0/B0/${SECRET}\r`],
    ['no scheme', `alerts=hooks.slack.com/services/T0/B0/${SECRET}`],
    ['no name', `https://hooks.slack.com/services/T0/B0/${SECRET}`],
  ])('says what is wrong with a --route value with %s, never echoing its URL', async (_, value) => {
    const { code, stderr } = await runMain(['replay', '--route', value, write('one.json', '{}')]);
    expect(code).toBe(2);
    expect(stderr).not.toContain(SECRET);
    expect(stderr).not.toContain('hooks.slack.com/services');
  });

  it.each([
    ['replay', ['replay', '--dry-run', `https://hooks.slack.com/services/T0/B0/${SECRET}`]],
    ['notify', ['notify', '--text', 'hi', `https://hooks.slack.com/services/T0/B0/${SECRET}`]],
  ])('%s never echoes a webhook URL given by mistake as an argument', async (_, args) => {
    const { code, stdout, stderr } = await runMain(args);
    expect(code).toBe(2);
    expect(stdout + stderr).not.toContain(SECRET);
  });
});

describe('replay bounds what it reads before it parses', () => {
  it('refuses a device, which would never end', async () => {
    const link = join(dir, 'zero.jsonl');
    symlinkSync('/dev/urandom', link);
    const { code, stdout } = await runMain(['replay', '--dry-run', '/dev/zero', link]);
    expect(code).toBe(1);
    expect(stdout.match(/this is a device, not a file of events/g)).toHaveLength(2);
  });

  it('refuses a .json array of millions of tiny values without parsing it', async () => {
    const file = write('zeros.json', `[${'0,'.repeat(200_000)}0]`);
    const { code, stdout } = await runMain(['replay', '--dry-run', file]);
    expect(code).toBe(1);
    expect(stdout).toContain('the array holds over 100,000 values');
    expect(stdout).toContain('1 event →');
  });
});
