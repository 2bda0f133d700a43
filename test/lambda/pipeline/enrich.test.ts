import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadLogEvents } from '../../../lambda/adapters/log-events.js';
import { createEcsDescribeTaskDefinition } from '../../../lambda/adapters/task-definitions.js';
import { parseNotifierConfig } from '../../../lambda/domain/config/config.js';
import type { TaskReport } from '../../../lambda/domain/task/task.js';
import { createReportEnricher, type EnrichDeps } from '../../../lambda/pipeline/enrich.js';
import { localEcsClient, localLogsClient } from '../../../local/demo.js';
import { startEcsApi } from '../../../local/ecs-api.js';
import type { RunningServer } from '../../../local/http.js';
import { type LogsApi, startLogsApi } from '../../../local/logs-api.js';
import { startFailingAws } from '../../support/aws-stand-ins.js';
import { reportFrom } from '../../support/reports.js';
import { type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

const CLUSTER = 'arn:aws:ecs:us-east-2:444455556666:cluster/batch-b';
const GROUP = '/ecs/customer-import';

/** customer-import:7, the fixture's revision: both containers log with awslogs under a prefix. */
const TASK_DEFINITION = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-2:444455556666:task-definition/customer-import:7',
  family: 'customer-import',
  revision: 7,
  cpu: '1024',
  memory: '2048',
  containerDefinitions: ['import', 'log-router'].map((name) => ({
    name,
    image: `444455556666.dkr.ecr.us-east-2.amazonaws.com/${name}:7`,
    essential: name === 'import',
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': GROUP, 'awslogs-region': 'us-east-2', 'awslogs-stream-prefix': 'ecs' },
    },
  })),
};

/** The failed fixture task (import exited 1) with a task ID of its own. */
function failed(n: number, change: Parameters<typeof reportFrom>[1] = {}): TaskReport {
  const taskId = String(n).padStart(32, 'a');
  return reportFrom('ec2-stopped-failed', {
    taskId,
    taskArn: `arn:aws:ecs:us-east-2:444455556666:task/batch-b/${taskId}`,
    ...change,
  });
}

function succeeded(n: number): TaskReport {
  return failed(n, {
    containers: [
      { name: 'import', exitCode: 0 },
      { name: 'log-router', exitCode: 0 },
    ],
  });
}

const streamOf = (report: TaskReport) => `ecs/import/${report.task.taskId}`;

let ecs: RunningServer;
let logs: LogsApi;
beforeAll(async () => {
  [ecs, logs] = await Promise.all([
    startEcsApi({ tasks: [], taskDefinitions: [TASK_DEFINITION] }),
    startLogsApi({ streams: [], groups: [GROUP] }),
  ]);
});
afterAll(() => Promise.all([ecs.close(), logs.close()]));

/** Writes `lines` to a failed report's stream, one second apart. */
function logLines(report: TaskReport, lines: string[]): void {
  const start = report.task.startedAt?.getTime() ?? 0;
  logs.put(
    GROUP,
    streamOf(report),
    lines.map((message, i) => ({ timestamp: start + i * 1000, message })),
  );
}

/** An enricher over the real clients and the local stand-ins; DescribeTaskDefinition calls are counted. */
function enricher(options: Partial<EnrichDeps> & { logsUrl?: string; ecsUrl?: string } = {}) {
  const { logsUrl, ecsUrl, ...deps } = options;
  const describe = createEcsDescribeTaskDefinition({
    clientFor: (region) => localEcsClient(ecsUrl ?? ecs.url, region),
  });
  const calls: string[] = [];
  const enrich = createReportEnricher({
    config: parseNotifierConfig({ logGroups: ['/ecs/customer-*'] }),
    describeTaskDefinition: (arn, region) => {
      calls.push(arn);
      return describe(arn, region);
    },
    readLogEvents: createReadLogEvents({
      clientFor: (region) => localLogsClient(logsUrl ?? logs.url, region),
    }),
    retryDelaysMs: [1, 1],
    ...deps,
  });
  return { enrich, calls };
}

const later = () => Date.now() + 60_000;

/** GetLogEvents requests the local Logs API received for these reports' streams. */
function readsOf(...reports: TaskReport[]) {
  const streams = new Set(reports.map(streamOf));
  return logs.requests.filter((r) => streams.has(String(r.input.logStreamName)));
}

describe('createReportEnricher: log links', () => {
  it('links every container stream and reads DescribeTaskDefinition once per family:revision', async () => {
    const reports = [failed(1), failed(2), succeeded(3)];
    for (const r of reports.slice(0, 2)) logLines(r, ['boom']);
    const { enrich, calls } = enricher();

    const enriched = await enrich(reports, later());

    expect(calls).toEqual([TASK_DEFINITION.taskDefinitionArn]);
    expect(enriched.map((r) => r.logs?.containers.map((c) => c.stream?.stream))).toEqual(
      reports.map((r) => [`ecs/import/${r.task.taskId}`, `ecs/log-router/${r.task.taskId}`]),
    );
  });

  it('keeps a task definition for the life of the instance: later batches ask nothing', async () => {
    const { enrich, calls } = enricher();

    await enrich([succeeded(4)], later());
    await enrich([succeeded(5), succeeded(6)], later());

    expect(calls).toHaveLength(1);
  });

  it('starts reading a task definition on prefetch, so the batch itself waits for nothing more', async () => {
    const { enrich, calls } = enricher();

    enrich.prefetch([
      { taskDefinitionArn: TASK_DEFINITION.taskDefinitionArn, region: 'us-east-2', revision: 7 },
    ]);
    const [report] = await enrich([succeeded(7)], later());

    expect(calls).toHaveLength(1);
    expect(report?.logs?.containers).toHaveLength(2);
  });

  it('adds the task size and images from the task definition where the event had none', async () => {
    const [report] = await enricher().enrich([succeeded(8)], later());

    expect(report?.task).toMatchObject({ cpu: '1024', memory: '2048' });
    expect(report?.task.containers.map((c) => c.image)).toEqual([
      '444455556666.dkr.ecr.us-east-2.amazonaws.com/import:7',
      '444455556666.dkr.ecr.us-east-2.amazonaws.com/log-router:7',
    ]);
  });

  it('a task definition that cannot be read: no links, the reason, kept (it will not change)', async () => {
    const { enrich, calls } = enricher();
    const report = failed(9, {
      taskDefinitionArn: TASK_DEFINITION.taskDefinitionArn.replace(':7', ':8'),
      revision: 8,
    });

    const [first] = await enrich([report], later());
    await enrich([report], later());

    expect(first?.logs).toEqual({
      unavailable: 'ClientException (HTTP 400)',
      containers: [],
      tail: { status: 'none' },
    });
    expect(calls).toHaveLength(1);
  });

  it('asks again after a DescribeTaskDefinition that failed on the server side, which may pass', async () => {
    const throttling = await startFailingAws('ServerException', 500);
    try {
      const { enrich, calls } = enricher({ ecsUrl: throttling.url });

      const [report] = await enrich([succeeded(10)], later());
      await enrich([succeeded(11)], later());

      expect(report?.logs?.unavailable).toBe('ServerException (HTTP 500)');
      expect(calls).toHaveLength(2);
    } finally {
      await throttling.close();
    }
  });

  it('never throws nor drops a report, whatever the task definition reader does', async () => {
    const { enrich } = enricher({
      describeTaskDefinition: () => Promise.reject(new TypeError('broken')),
    });
    const reports = [failed(12), succeeded(13)];

    const enriched = await enrich(reports, later());

    expect(enriched.map((r) => r.task.taskArn)).toEqual(reports.map((r) => r.task.taskArn));
    expect(enriched.map((r) => r.logs?.unavailable)).toEqual(['TypeError', 'TypeError']);
  });
});

describe('createReportEnricher: the failed container last log lines', () => {
  it('reads the last lines of the failed container only, as many as logTail.lines', async () => {
    const report = failed(20);
    logLines(
      report,
      Array.from({ length: 8 }, (_, i) => `line ${i + 1}`),
    );
    const { enrich } = enricher({
      config: parseNotifierConfig({ logGroups: [GROUP], logTail: { lines: 3 } }),
    });

    const [enriched] = await enrich([report], later());

    expect(enriched?.logs?.tail).toEqual({
      status: 'shown',
      container: 'import',
      lines: ['line 6', 'line 7', 'line 8'],
      omitted: 5,
      more: false,
    });
    expect(readsOf(report)).toMatchObject([
      { input: { logGroupName: GROUP, logStreamName: streamOf(report), startFromHead: false, limit: 50 } },
    ]);
  });

  it('never reads a log for a task that succeeded', async () => {
    const report = succeeded(21);
    logLines(report, ['done']);

    const [enriched] = await enricher().enrich([report], later());

    expect(enriched?.logs?.tail).toEqual({ status: 'off' });
    expect(readsOf(report)).toEqual([]);
  });

  it('reads the outcomes a source asks for, and none where its logTail is false', async () => {
    const config = parseNotifierConfig({
      logGroups: [GROUP],
      logTail: { outcomes: ['failed', 'succeeded'] },
      sources: [{ label: 'quiet', clusterArn: CLUSTER, logTail: false }],
    });
    const loud = succeeded(22);
    const quiet = { ...failed(23), source: { label: 'quiet', configured: true } };
    logLines(loud, ['done']);
    logLines(quiet, ['boom']);

    const [a, b] = await enricher({ config }).enrich([loud, quiet], later());

    expect(a?.logs?.tail.status).toBe('shown');
    expect(b?.logs?.tail).toEqual({ status: 'off' });
    expect(readsOf(quiet)).toEqual([]);
  });

  it('tries again while the stream is missing, and shows the lines that arrived meanwhile', async () => {
    const report = failed(24);
    const { enrich } = enricher({
      // Logs can arrive after the event: here, during the first wait.
      sleep: async () => logLines(report, ['late line']),
    });

    const [enriched] = await enrich([report], later());

    expect(enriched?.logs?.tail).toMatchObject({ status: 'shown', lines: ['late line'] });
    expect(readsOf(report)).toHaveLength(2);
  });

  it('after its retries, goes without the tail and says there are no lines yet', async () => {
    const report = failed(25);
    logs.put(GROUP, streamOf(report), []);

    const [enriched] = await enricher().enrich([report], later());

    expect(enriched?.logs?.tail).toEqual({ status: 'empty', container: 'import' });
    expect(readsOf(report)).toHaveLength(3);
  });

  it('never reads from a group outside logGroups, and says why there is no tail', async () => {
    const report = failed(26);
    const { enrich } = enricher({ config: parseNotifierConfig({ logGroups: ['/ecs/other-*'] }) });

    const [enriched] = await enrich([report], later());

    expect(enriched?.logs?.tail).toEqual({
      status: 'outside',
      container: 'import',
      detail: `log group ${GROUP} is not in logGroups`,
    });
    expect(readsOf(report)).toEqual([]);
  });

  it('reads no tail, quietly, when logGroups names no group', async () => {
    const report = failed(27);

    const [enriched] = await enricher({ config: parseNotifierConfig({}) }).enrich([report], later());

    expect(enriched?.logs?.tail).toEqual({ status: 'off' });
    expect(enriched?.logs?.containers).toHaveLength(2);
    expect(readsOf(report)).toEqual([]);
  });

  it('marks a denied read, and a throttled one, and sends without the tail', async () => {
    const denied = await startFailingAws('AccessDeniedException');
    const throttled = await startFailingAws('ThrottlingException');
    try {
      const [a] = await enricher({ logsUrl: denied.url }).enrich([failed(28)], later());
      const [b] = await enricher({ logsUrl: throttled.url }).enrich([failed(29)], later());

      expect(a?.logs?.tail).toEqual({
        status: 'denied',
        container: 'import',
        detail: 'AccessDeniedException (HTTP 400)',
      });
      expect(b?.logs?.tail).toEqual({
        status: 'unavailable',
        container: 'import',
        detail: 'ThrottlingException (HTTP 400)',
      });
    } finally {
      await Promise.all([denied.close(), throttled.close()]);
    }
  });

  it('gives up on a logs call that does not answer by the deadline less the send allowance', async () => {
    const silent: ScriptedServer = await startScriptedServer([{ hang: true }]);
    try {
      const start = Date.now();
      // The deadline leaves 1 s to send and 150 ms to enrich.
      const [enriched] = await enricher({ logsUrl: silent.url }).enrich([failed(30)], start + 1150);

      expect(enriched?.logs?.tail).toEqual({
        status: 'timeout',
        container: 'import',
        detail: 'CloudWatch Logs did not answer in time',
      });
      expect(enriched?.logs?.containers).toHaveLength(2);
    } finally {
      await silent.close();
    }
  });

  it('does not wait for a retry it has no time left for', async () => {
    const report = failed(31);
    let waited = 0;
    const { enrich } = enricher({
      retryDelaysMs: [5_000],
      sleep: async () => {
        waited++;
      },
    });

    const [enriched] = await enrich([report], Date.now() + 3_000);

    expect(enriched?.logs?.tail.status).toBe('empty');
    expect(waited).toBe(0);
  });
});
