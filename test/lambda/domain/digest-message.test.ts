import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildDigestMessage } from '../../../lambda/domain/digest-message.js';
import type { SlackMessage } from '../../../lambda/domain/slack-message.js';
import { reportFrom } from '../../support/reports.js';
import { limitProblems, payloadTexts } from '../../support/slack-payload.js';

function fields(message: SlackMessage): { type: string; text: string }[] {
  return (message.attachments?.[0]?.blocks ?? [])
    .filter((b): b is SectionBlock => b.type === 'section')
    .flatMap((b) => b.fields ?? []);
}

describe('buildDigestMessage', () => {
  const failed = (i: number, stoppedReason?: string) =>
    reportFrom('ec2-stopped-failed', { taskId: `task${i}`, ...(stoppedReason ? { stoppedReason } : {}) });

  it('counts the stops by outcome in the header and the summary line', () => {
    const message = buildDigestMessage([
      failed(1),
      failed(2),
      { ...reportFrom('ec2-stopped-failed'), outcome: 'stopped' },
    ]);
    expect(message.attachments?.[0]?.blocks?.[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: 'customer-import:7: 3 tasks (2 failed, 1 stopped)' },
    });
    expect(message.text).toBe(':x: [batch (vpc-a)] customer-import:7: 3 tasks (2 failed, 1 stopped)');
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'plain_text',
          text: '❌ [batch (vpc-a)] customer-import:7: 3 tasks (2 failed, 1 stopped)',
          emoji: false,
        },
      },
    ]);
  });

  it('names each failure with its exit codes and reason, as plain text', () => {
    const list = fields(buildDigestMessage([failed(1), failed(2, '*bold* <!here> https://evil.example')]));
    expect(list.slice(-2)).toEqual([
      { type: 'mrkdwn', text: '*Failed*', verbatim: true },
      {
        type: 'plain_text',
        text:
          '• task1: import exit 1 — Essential container in task exited\n' +
          '• task2: import exit 1 — *bold* &lt;!here&gt; https://evil.example',
        emoji: false,
      },
    ]);
  });

  it('names twenty failures and counts the rest, within Slack limits', () => {
    const message = buildDigestMessage(Array.from({ length: 25 }, (_, i) => failed(i, 'x'.repeat(5000))));
    const list = fields(message).at(-1)?.text ?? '';
    expect(list.split('\n')).toHaveLength(21);
    expect(list.endsWith('…and 5 more failed')).toBe(true);
    expect(limitProblems(message)).toEqual([]);
  });

  it('puts no text from events in mrkdwn', () => {
    const message = buildDigestMessage([failed(1, '*bold*'), failed(2)]);
    const mrkdwn = payloadTexts(message).filter((t) => t.kind === 'mrkdwn');
    expect(mrkdwn.map((t) => t.text).filter((t) => t.includes('bold') || t.includes('task1'))).toEqual([]);
    expect(mrkdwn.every((t) => t.verbatim)).toBe(true);
  });
});
