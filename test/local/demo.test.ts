import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayExampleEvents } from '../../local/demo.js';
import { DEMO_CONFIG } from '../../local/demo-config.js';
import { type LocalServices, startLocalServices } from '../../local/services.js';
import { runCli } from './cli.js';

/** The demo's two sources, as local/demo-config.ts names them, and the family each runs. */
const SOURCES = [
  { label: 'nightly-import (prod)', family: 'nightly-import-prod', outcome: 'succeeded' },
  { label: 'nightly-import (staging)', family: 'nightly-import-staging', outcome: 'failed' },
];

describe('the demo pipeline against the local services', () => {
  let services: LocalServices;
  beforeAll(async () => {
    services = await startLocalServices(DEMO_CONFIG);
  });
  afterAll(() => services.close());

  it('confirms every example event with DescribeTasks through the real ECSClient', async () => {
    const results = await replayExampleEvents(services, DEMO_CONFIG);

    expect(results.map((r) => [r.status, r.report?.crossCheck.status])).toEqual([
      ['notified', 'confirmed'],
      ['notified', 'confirmed'],
    ]);
  });

  it('labels each message with its configured source, one success and one failure', async () => {
    const results = await replayExampleEvents(services, DEMO_CONFIG);

    expect(results.map((r) => [r.report?.source.label, r.report?.task.family, r.report?.outcome])).toEqual(
      SOURCES.map((s) => [s.label, s.family, s.outcome]),
    );
  });

  it("links every container's log stream, and shows the failed task's last log lines only", async () => {
    const results = await replayExampleEvents(services, DEMO_CONFIG);

    expect(results.map((r) => r.report?.logs?.containers.map((c) => Boolean(c.stream)))).toEqual([
      [true],
      [true],
    ]);
    expect(results.map((r) => r.report?.logs?.tail.status)).toEqual(['off', 'shown']);
    const tail = results[1]?.report?.logs?.tail;
    expect(tail?.status === 'shown' && tail.lines.at(-1)).toBe('ERROR exiting with status 1');
  });

  it('posts one message per source to the sink through the real webhook client', async () => {
    const before = services.sink.messages().length;

    await replayExampleEvents(services, DEMO_CONFIG);

    const received = services.sink
      .messages()
      .slice(before)
      .map((m) => JSON.stringify(m.payload));
    expect(received).toHaveLength(2);
    for (const [i, source] of SOURCES.entries()) {
      expect(received[i]).toContain(source.label);
      expect(received[i]).toMatch(new RegExp(`${source.family}:\\d+`));
    }
  });
});

describe('npm start (demo)', () => {
  it('prints each message with its cross-check, log links and the failed tail, and exits 0, with nothing on stderr', async () => {
    const result = await runCli(['demo']);

    expect(result.code).toBe(0);
    expect(result.stdout.match(/cross-check: confirmed/g)).toHaveLength(2);
    expect(result.stdout.match(/ {2}job +log stream$/gm)).toHaveLength(2);
    expect(result.stdout.match(/Last log lines/g)).toHaveLength(1);
    expect(result.stdout).toContain('│ ERROR batch 3/3 failed: duplicate key value');
    for (const source of SOURCES) expect(result.stdout).toContain(source.label);
    expect(result.stderr).toBe('');
  });
});
