import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskReport } from '../../lambda/domain/task/task.js';
import type { EventResult } from '../../lambda/pipeline/deliver.js';
import { replayExampleEvents } from '../../local/demo.js';
import { DEMO_CONFIG } from '../../local/demo-config.js';
import { type LocalServices, startLocalServices } from '../../local/services.js';
import { runCli } from './cli.js';

/** The demo's two sources, as local/demo-config.ts names them, and the family each runs. */
const SOURCES = [
  { label: 'nightly-import (prod)', family: 'nightly-import-prod', outcome: 'succeeded' },
  { label: 'nightly-import (staging)', family: 'nightly-import-staging', outcome: 'failed' },
];

/** The task report of a result, when it is one. */
function taskReport(result: EventResult | undefined): TaskReport | undefined {
  return result?.report?.kind === 'task' ? result.report : undefined;
}

/** The results of the example task stops (the demo replays the other kinds after them). */
function taskResults(results: EventResult[]): EventResult[] {
  return results.filter((r) => r.report?.kind === 'task');
}

/** The first line of each kind's message, cause first, as the demo's last source shows them. */
const KIND_FIRST_LINES = [
  /^:x: web \(service\) in nightly-import \(staging\) cannot place tasks: RESOURCE:MEMORY/,
  /^:x: deployment ecs-svc\/\d+ of web:13 failed in nightly-import \(staging\): circuit breaker: tasks failed to start/,
  /^:x: RunTask of nightly-report:42 in nightly-import \(staging\) never launched: RESOURCE:MEMORY/,
  /^:x: job nightly-import \(attempt 2 of 2\) failed in nightly-import \(staging\): its EC2 host was terminated/,
];

describe('the demo pipeline against the local services', () => {
  let services: LocalServices;
  beforeAll(async () => {
    services = await startLocalServices(DEMO_CONFIG);
  });
  afterAll(() => services.close());

  it('confirms every example event with DescribeTasks, DescribeServices and DescribeJobs through real SDK clients', async () => {
    const results = await replayExampleEvents(services, DEMO_CONFIG);

    expect(results.map((r) => [r.report?.kind, r.status, r.report?.crossCheck.status])).toEqual([
      ['task', 'notified', 'confirmed'],
      ['task', 'notified', 'confirmed'],
      ['service', 'notified', 'confirmed'],
      ['deployment', 'notified', 'confirmed'],
      ['launch', 'notified', 'not-run'],
      ['batch', 'notified', 'confirmed'],
    ]);
  });

  it('posts one service, deployment, RunTask and Batch job message after the task stops, each with its cause in the first line', async () => {
    const before = services.sink.messages().length;

    await replayExampleEvents(services, DEMO_CONFIG);

    const firstLines = services.sink
      .messages()
      .slice(before)
      .filter((m) => m.path === '/hook/log')
      .map((m) => (m.payload as { text: string }).text.split('\n')[0]);
    expect(firstLines.slice(2)).toEqual(KIND_FIRST_LINES.map((line) => expect.stringMatching(line)));
  });

  it('replays only the kinds the configuration lists', async () => {
    const results = await replayExampleEvents(services, { ...DEMO_CONFIG, events: ['task', 'batch'] });

    expect(results.map((r) => r.report?.kind)).toEqual(['task', 'task', 'batch']);
  });

  it('labels each task stop with its configured source, one success and one failure', async () => {
    const results = taskResults(await replayExampleEvents(services, DEMO_CONFIG));

    expect(
      results.map((r) => [r.report?.source.label, taskReport(r)?.task.family, r.report?.outcome]),
    ).toEqual(SOURCES.map((s) => [s.label, s.family, s.outcome]));
  });

  it("links every container's log stream, and shows the failed task's last log lines only", async () => {
    const results = taskResults(await replayExampleEvents(services, DEMO_CONFIG));

    expect(results.map((r) => taskReport(r)?.logs?.containers.map((c) => Boolean(c.stream)))).toEqual([
      [true],
      [true],
    ]);
    expect(results.map((r) => taskReport(r)?.logs?.tail.status)).toEqual(['off', 'shown']);
    const tail = taskReport(results[1])?.logs?.tail;
    expect(tail?.status === 'shown' && tail.lines.at(-1)).toBe('ERROR exiting with status 1');
  });

  it('posts every stop to the log hook, and the failure to the alerts hook with its mention too', async () => {
    const before = services.sink.messages().length;

    await replayExampleEvents(services, { ...DEMO_CONFIG, events: ['task'] });

    const received = services.sink
      .messages()
      .slice(before)
      .map((m) => ({ hook: m.path, text: (m.payload as { text: string }).text }));
    expect(received.map((m) => m.hook).sort()).toEqual(['/hook/alerts', '/hook/log', '/hook/log']);
    const alerts = received.filter((m) => m.hook === '/hook/alerts');
    expect(alerts.map((m) => m.text)).toEqual([
      expect.stringMatching(/^<!subteam\^S0614TZR7> :x: [\w-]+:\d+ failed in nightly-import \(staging\): /),
    ]);
    const log = received.filter((m) => m.hook === '/hook/log');
    expect(log.map((m) => m.text.includes('<!subteam'))).toEqual([false, false]);
    for (const source of SOURCES) {
      expect(
        log.some((m) => m.text.includes(source.label) && new RegExp(`${source.family}:\\d+`).test(m.text)),
      ).toBe(true);
    }
  });
});

describe('npm start (demo)', () => {
  it('prints each message with its cross-check, log links and the failed tail, and exits 0, with nothing on stderr', async () => {
    const result = await runCli(['demo']);

    expect(result.code).toBe(0);
    // Two task stops, a service, a deployment, a RunTask (nothing to check) and a Batch job.
    expect(result.stdout.match(/cross-check: \S+/g)).toEqual(
      ['confirmed', 'confirmed', 'confirmed', 'confirmed', 'not-run', 'confirmed'].map(
        (c) => `cross-check: ${c}`,
      ),
    );
    // Each failure goes to both routes; the success to the log route only.
    expect(result.stdout.match(/^ {3}→ (alerts|log)$/gm)).toEqual([
      '   → log',
      ...Array(5).fill(['   → alerts', '   → log']).flat(),
    ]);
    expect(result.stdout.match(/^ +@S0614TZR7$/gm)).toHaveLength(5);
    for (const line of KIND_FIRST_LINES)
      expect(result.stdout.match(new RegExp(`^ +${line.source.replace('^:x:', '❌')}`, 'gm'))).toHaveLength(
        2,
      );
    // The success is one line with no log links; the failure has them on both routes.
    expect(result.stdout.match(/ {2}job +log stream$/gm)).toHaveLength(2);
    expect(result.stdout.match(/Last log lines/g)).toHaveLength(2);
    expect(result.stdout).toContain('│ ERROR batch 3/3 failed: duplicate key value');
    for (const source of SOURCES) expect(result.stdout).toContain(source.label);
    expect(result.stderr).toBe('');
  });
});
