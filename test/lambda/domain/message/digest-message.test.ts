import type { SectionBlock } from '@slack/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDigestMessage } from '../../../../lambda/domain/message/digest-message.js';
import type { SlackMessage } from '../../../../lambda/domain/message/slack-message.js';
import { classifyOutcome } from '../../../../lambda/domain/report/outcome.js';
import type { Source, Task, TaskReport } from '../../../../lambda/domain/task/task.js';
import { reportFrom } from '../../../support/reports.js';
import { limitProblems, payloadTexts } from '../../../support/slack-payload.js';

const SOURCE_A: Source = { label: 'batch (vpc-a)', configured: true };
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
  it('counts the stops by outcome in its header, summary line and notification, with the time span', () => {
    const message = buildDigestMessage([stop(1, { exit: 1 }), stop(2, { exit: 1 }), stop(3), stop(4)]);
    expect(attachmentBlocks(message)[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: '4 tasks: 2 failed, 2 succeeded' },
    });
    expect(message.text).toBe(
      ':x: [batch (vpc-a)] array-job:7: 4 tasks: 2 failed, 2 succeeded, 2024-11-05 07:00:01Z–07:00:04Z (3s)',
    );
    expect(message.blocks?.[0]).toMatchObject({ type: 'section', text: { type: 'plain_text' } });
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
      `❌ 5 × exit 137 — ${OOM}`,
      '❌ 2 × exit 1',
      '❌ 1 × TaskFailedToStart — CannotPullContainerError: pull access denied',
    ]);
    const oomLinks = attachmentBlocks(message)
      .filter((b): b is SectionBlock => b.type === 'section')
      .find((b) => b.fields?.[0]?.text.includes('exit 137'))?.fields?.[1];
    expect(JSON.stringify(oomLinks)).toContain(`${(2).toString(16).padStart(32, '0')}/configuration`);
    expect(JSON.stringify(oomLinks)).toContain('and 2 more');
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
    expect(message.text).toBe(
      ':white_check_mark: [batch (vpc-a)] array-job:7: 6 tasks: 6 succeeded, 2024-11-05 07:00:01Z–07:00:06Z (5s)',
    );
  });

  it('gives each source and family its own section when a digest holds several', () => {
    const message = buildDigestMessage([
      stop(1, { exit: 1, family: 'import' }),
      stop(2, { family: 'import' }),
      stop(3, { exit: 2, family: 'report' }),
      stop(4, { exit: 3, family: 'report', source: SOURCE_B }),
    ]);
    expect(plainLines(message)).toEqual([
      'batch (vpc-a) · import:7: 2 tasks: 1 failed, 1 succeeded',
      '❌ 1 × exit 1',
      'batch (vpc-a) · report:7: 1 tasks: 1 failed',
      '❌ 1 × exit 2',
      'batch (vpc-b) · report:7: 1 tasks: 1 failed',
      '❌ 1 × exit 3',
    ]);
  });

  it('links the tasks of each cluster in the ECS console', () => {
    const message = buildDigestMessage([stop(1, { exit: 1 }), stop(2)]);
    expect(JSON.stringify(attachmentBlocks(message).at(-1))).toContain(
      'https://us-east-2.console.aws.amazon.com/ecs/v2/clusters/batch-b/tasks?region=us-east-2|the cluster',
    );
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
    expect(plainLines(message)).toEqual(['❌ 2 × exit 1 — *bold* &lt;!here&gt; https://evil.example']);
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
