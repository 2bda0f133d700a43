import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayExampleEvents } from '../../local/demo.js';
import { DEMO_CONFIG } from '../../local/demo-config.js';
import { type LocalServices, startLocalServices } from '../../local/services.js';
import { runCli } from './cli.js';

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

  it('labels each message with its configured source', async () => {
    const results = await replayExampleEvents(services, DEMO_CONFIG);

    expect(results.map((r) => r.report?.source.label)).toEqual(DEMO_CONFIG.sources.map((s) => s.label));
  });

  it('posts every message to the sink through the real webhook client', async () => {
    const before = services.sink.messages().length;

    const results = await replayExampleEvents(services, DEMO_CONFIG);

    expect(
      services.sink
        .messages()
        .slice(before)
        .map((m) => m.payload),
    ).toEqual(results.map((r) => r.message));
  });
});

describe('npm start (demo)', () => {
  it('prints each message with its cross-check and exits 0, with nothing on stderr', async () => {
    const result = await runCli(['demo']);

    expect(result.code).toBe(0);
    expect(result.stdout.match(/cross-check: confirmed/g)).toHaveLength(2);
    expect(result.stderr).toBe('');
  });
});
