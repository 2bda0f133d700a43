import type { SectionBlock } from '@slack/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDigestMessage } from '../../../../lambda/domain/message/digest-message.js';
import type { SlackMessage } from '../../../../lambda/domain/message/slack-message.js';
import { humanSpan } from '../../../../lambda/domain/message/time-span.js';
import { classifyOutcome } from '../../../../lambda/domain/report/outcome.js';
import type { Source, Task, TaskReport } from '../../../../lambda/domain/task/task.js';
import { reportFrom } from '../../../support/reports.js';
import { limitProblems, payloadTexts } from '../../../support/slack-payload.js';

const SOURCE_A: Source = { label: 'batch (vpc-a)', configured: true, vpcId: 'vpc-0a1b2c3d' };
const SOURCE_B: Source = { label: 'batch (vpc-b)', configured: true };

/** One parsed fixture, copied for every stop: ten thousand stops must not parse ten thousand files. */
const BASE = reportFrom('ec2-stopped-failed');

/** The `n`th task of a family: succeeded, or failed with an exit code and a container reason. */
function stop(
  n: number,
  how: { exit?: number; reason?: string; family?: string; source?: Source; stopCode?: string } = {},
): TaskReport {
  const taskId = n.toString(16).padStart(32, '0');
  const task: Task = {
    ...BASE.task,
    taskId,
    taskArn: `arn:aws:ecs:us-east-2:444455556666:task/batch-b/${taskId}`,
    family: how.family ?? 'array-job',
    stoppedAt: new Date(Date.UTC(2024, 10, 5, 7, 0, 0) + n * 1000),
    ...(how.stopCode
      ? { stopCode: how.stopCode, stoppedReason: how.reason ?? '', containers: [] }
      : {
          containers: [
            {
              name: 'job',
              exitCode: how.exit ?? 0,
              lastStatus: 'STOPPED',
              ...(how.reason ? { reason: how.reason } : {}),
            },
          ],
        }),
  };
  return { ...BASE, task, source: how.source ?? SOURCE_A, outcome: classifyOutcome(task) };
}

const OOM = 'OutOfMemoryError: Container killed due to memory usage';

function attachmentBlocks(message: SlackMessage) {
  return message.attachments?.[0]?.blocks ?? [];
}

function plainLines(message: SlackMessage): string[] {
  return attachmentBlocks(message)
    .filter((b): b is SectionBlock => b.type === 'section')
    .flatMap((b) => {
      // A group's title is a plain-text section; a cause is a section whose first field is plain text.
      if (b.text?.type === 'plain_text') return [b.text.text];
      const first = b.fields?.[0];
      return first?.type === 'plain_text' ? [first.text] : [];
    });
}

/**
 * The tasks a digest accounts for that did not succeed: each linked by its ID, or counted in an
 * "and N more" or a "(M more tasks) not shown" line.
 */
function accountedNotSucceeded(message: SlackMessage): { linked: Set<string>; counted: number } {
  const texts = payloadTexts(message)
    .filter((t) => t.kind === 'mrkdwn')
    .map((t) => t.text);
  const linked = new Set(
    texts.flatMap((t) => [...t.matchAll(/\/tasks\/([0-9a-f]{32})\//g)].map((m) => m[1] as string)),
  );
  let counted = 0;
  for (const t of texts) {
    for (const m of t.matchAll(/\band (\d+) more(?! cause)/g)) counted += Number(m[1]);
    for (const m of t.matchAll(/\((\d+) more tasks?\) not shown/g)) counted += Number(m[1]);
  }
  return { linked, counted };
}

describe('buildDigestMessage', () => {
  it('leads its header and notification with what failed, the counts worst first, the sources and the span', () => {
    const message = buildDigestMessage([stop(1, { exit: 1 }), stop(2, { exit: 1 }), stop(3), stop(4)]);
    expect(message.blocks).toEqual([
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: '❌ array-job:7: 2 failed, 2 succeeded of 4 tasks in batch (vpc-a) · 3s',
          emoji: false,
        },
      },
    ]);
    expect(message.text).toBe(':x: array-job:7: 2 failed, 2 succeeded of 4 tasks in batch (vpc-a) · 3s');
  });

  it('shows the VPC and the span from the first stop to the last, once each', () => {
    const message = buildDigestMessage([stop(1, { exit: 1 }), stop(2 + 17_000, { exit: 1 })]);
    expect(message.text).toMatch(/ · 4h 43m$/);
    expect(payloadTexts(message).map((t) => t.text)).toEqual(
      expect.arrayContaining(['vpc-0a1b2c3d', '07:00:01 → 11:43:22 UTC']),
    );
  });

  it('groups the failures by cause, the largest first, each with a few tasks linked and the rest counted', () => {
    const reports = [
      stop(1, { exit: 1 }),
      ...[2, 3, 4, 5, 6].map((n) => stop(n, { exit: 137, reason: OOM })),
      stop(7, { stopCode: 'TaskFailedToStart', reason: 'CannotPullContainerError: pull access denied' }),
      stop(8, { exit: 1 }),
      stop(9),
    ];
    const message = buildDigestMessage(reports);
    expect(plainLines(message)).toEqual([
      '❌ 5 × job out of memory (exit 137)',
      '❌ 2 × job exited with an error (exit 1)',
      '❌ 1 × could not start: CannotPullContainerError: pull access denied',
    ]);
    const oomLinks = attachmentBlocks(message)
      .filter((b): b is SectionBlock => b.type === 'section')
      .find((b) => b.fields?.[0]?.text.includes('exit 137'))?.fields?.[1];
    expect(oomLinks?.text).toContain(
      `${(2).toString(16).padStart(32, '0')}/configuration?region=us-east-2|00000000>`,
    );
    // The rest of the cause, counted, opens the cluster's tasks.
    expect(oomLinks?.text).toMatch(
      / {2}· {2}<https:\/\/us-east-2\.console\.aws\.amazon\.com\/ecs\/v2\/clusters\/batch-b\/tasks\?region=us-east-2\|and 2 more>$/,
    );
  });

  it('cuts a long cause to a line', () => {
    const message = buildDigestMessage([
      stop(1, { stopCode: 'TaskFailedToStart', reason: `CannotPullContainerError: ${'x'.repeat(400)}` }),
      stop(2),
    ]);
    const [line] = plainLines(message);
    expect(line?.length).toBeLessThanOrEqual(130);
    expect(line).toMatch(/^❌ 1 × could not start: CannotPullContainerError: x+…$/);
  });

  it('counts succeeded tasks and never lists them', () => {
    const message = buildDigestMessage([stop(1, { exit: 1 }), ...[2, 3, 4, 5].map((n) => stop(n))]);
    const { linked } = accountedNotSucceeded(message);
    expect([...linked]).toEqual([(1).toString(16).padStart(32, '0')]);
  });

  it('is one line when every task succeeded', () => {
    const message = buildDigestMessage([1, 2, 3, 4, 5, 6].map((n) => stop(n)));
    expect(message).not.toHaveProperty('attachments');
    expect(message.blocks).toHaveLength(1);
    expect(message.text).toBe(':white_check_mark: 6 succeeded of 6 tasks in batch (vpc-a) · 5s');
  });

  it('lists failing families first, and the families that only succeeded in one line after them', () => {
    const message = buildDigestMessage([
      stop(1, { family: 'a-fine' }),
      stop(2, { family: 'a-fine' }),
      stop(3, { family: 'z-broken', exit: 1 }),
      stop(4, { family: 'm-broken', exit: 1 }),
      stop(5, { family: 'm-broken', exit: 2 }),
    ]);
    expect(plainLines(message)).toEqual([
      'm-broken:7 in batch (vpc-a): 2 failed',
      '❌ 1 × job exited with an error (exit 1)',
      '❌ 1 × job exited (exit 2)',
      'z-broken:7 in batch (vpc-a): 1 failed',
      '❌ 1 × job exited with an error (exit 1)',
    ]);
    expect(JSON.stringify(attachmentBlocks(message).at(-2))).toContain('Also succeeded: a-fine:7 (2)');
    expect(message.text).toMatch(/^:x: m-broken:7, z-broken:7: 3 failed, 2 succeeded of 5 tasks/);
  });

  it('gives each source and family its own section when a digest holds several', () => {
    const message = buildDigestMessage([
      stop(1, { exit: 1, family: 'import' }),
      stop(2, { family: 'import' }),
      stop(3, { exit: 2, family: 'report' }),
      stop(4, { exit: 3, family: 'report', source: SOURCE_B }),
    ]);
    expect(plainLines(message)).toEqual([
      'import:7 in batch (vpc-a): 1 failed, 1 succeeded',
      '❌ 1 × job exited with an error (exit 1)',
      'report:7 in batch (vpc-a): 1 failed',
      '❌ 1 × job exited (exit 2)',
      'report:7 in batch (vpc-b): 1 failed',
      '❌ 1 × job exited (exit 3)',
    ]);
  });

  it('links the tasks of each cluster in the ECS console, named by the cluster', () => {
    const message = buildDigestMessage([stop(1, { exit: 1 }), stop(2)]);
    expect(JSON.stringify(attachmentBlocks(message).at(-1))).toContain(
      'https://us-east-2.console.aws.amazon.com/ecs/v2/clusters/batch-b/tasks?region=us-east-2|batch-b>',
    );
  });

  it('labels a cluster link by its place when its name could read as mrkdwn, and lists the names', () => {
    const odd = {
      ...stop(2),
      task: { ...stop(2).task, clusterName: 'batch_b', clusterArn: 'arn:x:cluster/batch_b' },
    };
    const message = buildDigestMessage([stop(1, { exit: 1 }), odd]);
    expect(JSON.stringify(attachmentBlocks(message).at(-1))).toContain('|cluster 2>');
    expect(payloadTexts(message).map((t) => t.text)).toContain('batch-b, batch_b');
  });

  it('counts the causes Slack has no room for, so every failure is shown or counted', () => {
    const reports = Array.from({ length: 80 }, (_, n) => stop(n, { exit: n + 1 }));
    const message = buildDigestMessage(reports);
    expect(limitProblems(message)).toEqual([]);
    const { linked, counted } = accountedNotSucceeded(message);
    expect(linked.size + counted).toBe(80);
    expect(JSON.stringify(message)).toMatch(/…and \d+ more causes \(\d+ more tasks\) not shown here/);
  });

  it('shows what the events say as plain text, never as mrkdwn', () => {
    const message = buildDigestMessage([
      stop(1, { exit: 1, reason: '*bold* <!here> https://evil.example' }),
      stop(2, { exit: 1, reason: '*bold* <!here> https://evil.example' }),
    ]);
    const mrkdwn = payloadTexts(message).filter((t) => t.kind === 'mrkdwn');
    expect(mrkdwn.filter((t) => t.text.includes('bold') || t.text.includes('here'))).toEqual([]);
    expect(plainLines(message)).toEqual([
      '❌ 2 × job exited with an error (exit 1): *bold* &lt;!here&gt; https://evil.example',
    ]);
  });

  it('keeps every Slack limit and accounts for every failure, whatever the mix of 1 to 10,000 stops', () => {
    const causes = [
      { exit: 137, reason: OOM },
      { exit: 1 },
      { exit: 2, reason: 'x'.repeat(4000) },
      { stopCode: 'TaskFailedToStart', reason: 'CannotPullContainerError' },
      { stopCode: 'SpotInterruption', reason: 'Your Spot Task was interrupted.' },
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: causes.length * 4 }),
            fc.constantFrom('a', 'b', 'c'),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 10_000 }),
        (pattern, count) => {
          const reports = Array.from({ length: count }, (_, n) => {
            const [pick, family, sourceB] = pattern[n % pattern.length] as [number, string, boolean];
            const cause = causes[pick];
            return stop(n, {
              ...(cause ?? {}),
              family: `${family}-${pick % 7}`,
              source: sourceB ? SOURCE_B : SOURCE_A,
            });
          });
          const message = buildDigestMessage(reports);
          expect(limitProblems(message)).toEqual([]);
          const notSucceeded = reports.filter((r) => r.outcome !== 'succeeded');
          const { linked, counted } = accountedNotSucceeded(message);
          expect(linked.size + counted).toBe(notSucceeded.length);
          expect(message.text).toContain(`${count} tasks`);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('humanSpan', () => {
  it.each([
    [0, '0s'],
    [54_000, '54s'],
    [312_000, '5m 12s'],
    [300_000, '5m'],
    [16_992_000, '4h 43m'],
    [3_660_000, '1h 01m'],
    [183_600_000, '2d 3h'],
  ])('says %i ms as %s', (ms, words) => {
    expect(humanSpan(ms)).toBe(words);
  });
});
