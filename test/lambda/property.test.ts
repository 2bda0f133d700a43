import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTaskTextMessage } from '../../in-task/task-text-message.js';
import { selectTailLines } from '../../lambda/domain/logs/log-tail.js';
import { buildDigestMessage } from '../../lambda/domain/message/digest-message.js';
import { buildPlainReportMessage, buildReportMessage } from '../../lambda/domain/message/report-message.js';
import { buildPlainTextMessage, buildSlackMessage } from '../../lambda/domain/message/slack-message.js';
import type { Lookup } from '../../lambda/domain/report/cross-check.js';
import type { Report } from '../../lambda/domain/report/report.js';
import type { ServiceFacts } from '../../lambda/domain/service/service-facts.js';
import type { CrossCheckStatus, TaskLogs, TaskReport } from '../../lambda/domain/task/task.js';
import { type Evaluation, evaluateEvents } from '../../lambda/pipeline/evaluate.js';
import { loadEvent } from '../support/fixtures.js';
import { reportFrom } from '../support/reports.js';
import { formingProblems, limitProblems } from '../support/slack-payload.js';

/** Every outside string starts with it, so that we can tell where outside text went. */
const MARKER = '\u2603';

const hostileText = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      '<!channel>',
      '<!here|here>',
      '@here @channel #general',
      '<@U024BE7LH>',
      '<http://evil.example|click me>',
      'see https://evil.example and www.evil.example or a@evil.example',
      '<#C123|general>',
      '&lt;!channel&gt; &amp; & &#60;',
      '*bold* _it_ ~s~ `code` ```block```',
      '\u202e\u0000\u001b[31m\u2066x\u2069\r',
      '👩‍👩‍👧‍👦'.repeat(50),
      'x'.repeat(5000),
    ),
  )
  .map((text) => `${MARKER}${text}`);

const hostile = fc.oneof(
  hostileText,
  fc.integer(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

const FIELDS = [
  'taskArn',
  'clusterArn',
  'taskDefinitionArn',
  'lastStatus',
  'stopCode',
  'stoppedReason',
  'group',
  'startedBy',
  'launchType',
  'stoppedAt',
];

/** A real STOPPED event with hostile values in some fields, and hostile container names and reasons. */
const hostileEvent = fc
  .record({
    replace: fc.dictionary(fc.constantFrom(...FIELDS), hostile, { maxKeys: 4 }),
    containerName: hostile,
    containerReason: hostile,
    exitCode: fc.oneof(fc.integer(), hostile),
    detailType: fc.constantFrom(
      'ECS Task State Change',
      'ECS Task State Change',
      'ECS Deployment State Change',
    ),
  })
  .map(({ replace, containerName, containerReason, exitCode, detailType }) => {
    const event = loadEvent('fargate-stopped-succeeded');
    event['detail-type'] = detailType;
    Object.assign(event.detail, replace, {
      containers: [{ name: containerName, reason: containerReason, exitCode, lastStatus: 'STOPPED' }],
    });
    return { event, replaced: Object.keys(replace) };
  });

function checkMessage(evaluation: Extract<Evaluation, { status: 'ready' }>): void {
  const message = buildReportMessage(evaluation.report);
  expect(limitProblems(message)).toEqual([]);
  expect(formingProblems(message, MARKER)).toEqual([]);
}

describe('the pipeline on hostile input (property)', () => {
  it('never throws, and each event is notified with a safe message, skipped, or rejected naming the field', async () => {
    const seen = { ready: 0, skipped: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(hostileEvent, { minLength: 15, maxLength: 25 }), async (cases) => {
        const evaluations = await evaluateEvents(
          cases.map((c) => c.event),
          {
            config: {
              sources: [],
              notifyOn: ['STOPPED'],
              ignoreGroups: [],
              outcomes: ['succeeded', 'failed', 'stopped', 'in-progress'],
            },
          },
        );
        expect(evaluations).toHaveLength(cases.length);
        for (const evaluation of evaluations) {
          seen[evaluation.status]++;
          if (evaluation.status === 'ready') checkMessage(evaluation);
          else if (evaluation.status === 'rejected')
            expect(evaluation.reason).toMatch(/^(detail\.[\w.[\]]+|detail-type|the event) /);
          else expect(evaluation.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 600 },
    );
    // At least 10,000 events, and every kind of ending was exercised.
    expect(seen.ready + seen.skipped + seen.rejected).toBeGreaterThanOrEqual(10_000);
    // Each kind of ending exercised many times (the mix is random: rejections are the rarest, ~1 %).
    expect(Math.min(seen.ready, seen.skipped, seen.rejected)).toBeGreaterThan(30);
  });
});

/** What a task definition and a log stream could hold: outside text in every name, line and reason. */
const hostileStream = fc.record({
  group: hostileText,
  stream: hostileText,
  region: fc.oneof(fc.constantFrom('us-east-1', 'cn-north-1', 'us-gov-west-1'), hostileText),
  partition: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
});

const hostileLogs: fc.Arbitrary<TaskLogs> = fc.record({
  unavailable: fc.option(hostileText, { nil: undefined }),
  containers: fc.array(
    fc.record({
      container: hostileText,
      driver: fc.option(hostileText, { nil: undefined }),
      stream: fc.option(hostileStream, { nil: undefined }),
      note: fc.option(hostileText, { nil: undefined }),
    }),
    { maxLength: 12 },
  ),
  tail: fc.oneof(
    fc.record({
      status: fc.constant('shown' as const),
      container: hostileText,
      lines: fc
        .array(hostileText, { minLength: 1, maxLength: 50 })
        .map((lines) => selectTailLines(lines, 50).lines),
      omitted: fc.nat(),
      more: fc.boolean(),
    }),
    fc.record({ status: fc.constant('empty' as const), container: hostileText }),
    fc.record({
      status: fc.constantFrom(
        'denied' as const,
        'unavailable' as const,
        'timeout' as const,
        'outside' as const,
      ),
      container: hostileText,
      detail: hostileText,
    }),
    fc.record({ status: fc.constantFrom('off' as const, 'none' as const) }),
  ),
});

/** A report with outside text in every string the messages show, as no parser would let through. */
const hostileReport = fc
  .record({
    text: fc.dictionary(
      fc.constantFrom(
        'taskArn',
        'taskId',
        'clusterName',
        'family',
        'region',
        'lastStatus',
        'launchType',
        'capacityProviderName',
        'availabilityZone',
        'subnetId',
        'stopCode',
        'stoppedReason',
        'startedBy',
        'group',
        'cpu',
        'memory',
      ),
      hostileText,
    ),
    containers: fc.array(
      fc.record({
        name: hostileText,
        reason: hostileText,
        image: fc.option(hostileText, { nil: undefined }),
        imageDigest: fc.option(hostileText, { nil: undefined }),
      }),
      { maxLength: 12 },
    ),
    tags: fc.dictionary(hostileText, hostileText, { maxKeys: 3 }),
    label: hostileText,
    note: fc.option(hostileText, { nil: undefined }),
    vpcId: fc.option(hostileText, { nil: undefined }),
    status: fc.constantFrom<CrossCheckStatus>('confirmed', 'mismatch', 'missing', 'unavailable', 'not-run'),
    detail: hostileText,
    described: hostileText,
    logs: fc.option(hostileLogs, { nil: undefined }),
  })
  .map(
    (r): TaskReport => ({
      ...reportFrom(
        'ec2-stopped-failed',
        {
          ...r.text,
          containers: r.containers.map((c, i) => ({ ...c, exitCode: i })),
          tags: Object.fromEntries(Object.entries(r.tags).map(([k, v]) => [`${MARKER}${k}`, v])),
        },
        {
          source: { label: r.label, configured: false, note: r.note, vpcId: r.vpcId },
          crossCheck: { status: r.status, detail: r.detail, described: { family: r.described, revision: 3 } },
        },
      ),
      ...(r.logs ? { logs: r.logs } : {}),
    }),
  );

describe('every message on hostile text (property)', () => {
  it('keeps outside text out of mrkdwn, escaped, unable to link or ping, and within limits', () => {
    fc.assert(
      fc.property(fc.array(hostileReport, { minLength: 1, maxLength: 3 }), hostileText, (reports, text) => {
        const [first] = reports as [TaskReport];
        for (const message of [
          buildSlackMessage(first),
          buildPlainTextMessage(first),
          buildDigestMessage(reports),
          buildTaskTextMessage(first.task, text),
        ]) {
          expect(limitProblems(message)).toEqual([]);
          expect(formingProblems(message, MARKER)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Free text of each other kind's event: what its message shows. */
const KIND_TEXT: Record<string, (string | number)[][]> = {
  'service/placement-failure-memory': [
    ['detail', 'reason'],
    ['detail', 'eventType'],
    ['detail', 'containerInstanceArns', 0],
  ],
  'service/placement-failure-fargate-spot': [
    ['detail', 'capacityProviderArns', 0],
    ['detail', 'eventName'],
  ],
  'deployment/failed-circuit-breaker': [
    ['detail', 'reason'],
    ['detail', 'deploymentId'],
  ],
  'deployment/rollback-in-progress': [['detail', 'reason']],
  'launch/run-task-resource-memory': [
    ['detail', 'requestParameters', 'startedBy'],
    ['detail', 'requestParameters', 'group'],
    ['detail', 'responseElements', 'failures', 0, 'reason'],
    ['detail', 'responseElements', 'failures', 0, 'arn'],
    ['detail', 'userIdentity', 'arn'],
    ['detail', 'eventID'],
  ],
  'launch/run-task-error': [
    ['detail', 'errorCode'],
    ['detail', 'errorMessage'],
  ],
  'batch/failed-host-terminated': [
    ['detail', 'jobName'],
    ['detail', 'statusReason'],
    ['detail', 'attempts', 0, 'statusReason'],
    ['detail', 'container', 'image'],
    ['detail', 'container', 'logStreamName'],
    ['detail', 'jobId'],
  ],
};

const hostileKindEvent = fc
  .record({
    fixture: fc.constantFrom(...Object.keys(KIND_TEXT)),
    values: fc.array(hostile, { minLength: 1, maxLength: 4 }),
  })
  .map(({ fixture, values }) => {
    const event = loadEvent(fixture) as Record<string | number, unknown>;
    for (const [i, path] of (KIND_TEXT[fixture] ?? []).entries()) {
      if (i >= values.length) break;
      let at = event;
      for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
      at[path[path.length - 1] as string | number] = values[i];
    }
    return event;
  });

/** DescribeServices naming the service with outside words in its events and rollout. */
const hostileServices = (text: string) => async (_cluster: string, _region: string, arns: string[]) =>
  new Map(
    arns.map((arn): [string, Lookup<ServiceFacts>] => [
      arn,
      {
        kind: 'found',
        value: {
          serviceArn: arn,
          family: 'web',
          revision: 12,
          subnets: [],
          desiredCount: 3,
          deployments: [
            { id: 'x', status: 'PRIMARY', family: 'web', revision: 12, rolloutStateReason: text },
            {
              id: 'ecs-svc/4471091638524190273',
              family: 'web',
              revision: 13,
              rolloutState: 'FAILED',
              rolloutStateReason: text,
            },
          ],
          events: [{ message: text }],
        },
      },
    ]),
  );

describe('the other kinds on hostile input (property)', () => {
  it('never throws, and each is notified with safe messages (its own, as text, in a digest), skipped or rejected naming the field', async () => {
    const seen = { ready: 0, skipped: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileKindEvent, { minLength: 3, maxLength: 8 }),
        hostileText,
        async (events, text) => {
          const evaluations = await evaluateEvents(events, {
            config: {
              sources: [],
              notifyOn: ['STOPPED'],
              ignoreGroups: [],
              outcomes: ['succeeded', 'failed', 'stopped', 'in-progress'],
              events: ['service', 'deployment', 'launch', 'batch'],
            },
            describeServices: hostileServices(text),
          });
          const ready: Report[] = [];
          for (const evaluation of evaluations) {
            seen[evaluation.status]++;
            if (evaluation.status === 'ready') ready.push(evaluation.report);
            else if (evaluation.status === 'rejected')
              expect(evaluation.reason).toMatch(/^(detail\.[\w.[\]]+|resources[\w.[\]]*|region|the event) /);
          }
          for (const report of ready)
            for (const message of [buildReportMessage(report), buildPlainReportMessage(report)]) {
              expect(limitProblems(message)).toEqual([]);
              expect(formingProblems(message, MARKER)).toEqual([]);
            }
          if (ready.length > 0) {
            const digest = buildDigestMessage(ready);
            expect(limitProblems(digest)).toEqual([]);
            expect(formingProblems(digest, MARKER)).toEqual([]);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(Math.min(seen.ready, seen.rejected)).toBeGreaterThan(30);
  });
});
