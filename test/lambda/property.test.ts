import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Evaluation, evaluateEvents } from '../../lambda/pipeline/evaluate.js';
import { loadEvent } from '../support/fixtures.js';

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '<!channel>',
    '<!here|here>',
    '<@U024BE7LH>',
    '<http://evil.example|click me>',
    '<#C123|general>',
    '&lt;!channel&gt;',
    '*bold* _it_ ~s~ `code` ```block```',
    '\u202e\u0000\u001b[31m',
    '👩‍👩‍👧‍👦'.repeat(50),
    'x'.repeat(5000),
  ),
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

const UNESCAPED = /<(!|@|#|https?:)[^>]*>/;

function checkLimits(evaluation: Extract<Evaluation, { status: 'ready' }>): void {
  const { message } = evaluation;
  const blocks = message.attachments?.[0]?.blocks ?? [];
  expect(blocks.length).toBeLessThanOrEqual(50);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  for (const block of blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[]) {
    if (block.type === 'header') expect(block.text?.text.length).toBeLessThanOrEqual(150);
    if (block.type === 'section') {
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
  }
  // Our own console links are the only `<…|…>` allowed, and they point at the console.
  const text = JSON.stringify(message).replace(
    /<https:\/\/[a-z0-9.-]+\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)\/[^|>]*\|/g,
    '',
  );
  expect(text).not.toMatch(UNESCAPED);
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
          if (evaluation.status === 'ready') checkLimits(evaluation);
          else if (evaluation.status === 'rejected')
            expect(evaluation.reason).toMatch(/^(detail\.[\w.[\]]+|detail-type|the event) /);
          else expect(evaluation.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 600 },
    );
    // At least 10,000 events, and every kind of ending was exercised.
    expect(seen.ready + seen.skipped + seen.rejected).toBeGreaterThanOrEqual(10_000);
    expect(Math.min(seen.ready, seen.skipped, seen.rejected)).toBeGreaterThan(100);
  }, 120_000);
});
