import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTaskTextMessage } from '../../in-task/task-text-message.js';
import { selectTailLines } from '../../lambda/domain/logs/log-tail.js';
import { buildDigestMessage } from '../../lambda/domain/message/digest-message.js';
import { buildReportMessage } from '../../lambda/domain/message/report-message.js';
import { buildPlainTextMessage, buildSlackMessage } from '../../lambda/domain/message/slack-message.js';
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
