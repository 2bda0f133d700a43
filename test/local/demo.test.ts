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
  it('prints each message with its cross-check and exits 0, with nothing on stderr', async () => {
    const result = await runCli(['demo']);

    expect(result.code).toBe(0);
    expect(result.stdout.match(/cross-check: confirmed/g)).toHaveLength(2);
    for (const source of SOURCES) expect(result.stdout).toContain(source.label);
    expect(result.stderr).toBe('');
  });
});
