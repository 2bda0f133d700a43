import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApiClient } from '../../lambda/adapters/slack-api.js';
import { LOCAL_CREDENTIALS } from '../../local/demo.js';
import { DEMO_CONFIG } from '../../local/demo-config.js';
import { type LocalServices, serviceEnvironment, startLocalServices } from '../../local/services.js';

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices(DEMO_CONFIG);
});
afterAll(() => services.close());

describe('the environment local prints', () => {
  it('points the Slack Web API client at the sink with SLACK_API_URL', async () => {
    const line = serviceEnvironment(services, DEMO_CONFIG).find((l) => l.startsWith('SLACK_API_URL='));
    const apiUrl = (line ?? '').slice('SLACK_API_URL='.length);
    const api = createSlackApiClient('xoxb-local-1', { apiUrl });
    const { ts } = await api.postMessage('C0LOCAL01', { text: 'from the printed environment' });
    expect(services.sink.messages().find((m) => m.ts === ts)?.channel).toBe('C0LOCAL01');
  });

  it('points the real CloudWatch Logs client at the local Logs API, which holds each task log', async () => {
    const line = serviceEnvironment(services, DEMO_CONFIG).find((l) =>
      l.startsWith('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS='),
    );
    const [name, url] = (line ?? '').split('=') as [string, string];
    const failing = services.tasks[1]?.facts;
    if (!failing) throw new Error('no failing demo task');
    const saved = process.env[name];
    process.env[name] = url;
    try {
      // No endpoint given: the SDK takes it from the variable, as a Lambda or replay would.
      const client = new CloudWatchLogsClient({ region: failing.region, credentials: LOCAL_CREDENTIALS });
      const answer = await client.send(
        new GetLogEventsCommand({
          logGroupName: failing.logGroup,
          logStreamName: failing.logStream,
          limit: 1,
        }),
      );

      expect(url).toBe(services.logsApi.url);
      expect(answer.events?.map((e) => e.message)).toEqual([`ERROR exiting with status ${failing.exitCode}`]);
    } finally {
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
  });
});
