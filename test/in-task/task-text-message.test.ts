import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildTaskTextMessage } from '../../in-task/task-text-message.js';
import { taskFrom } from '../support/reports.js';
import { limitProblems, payloadTexts } from '../support/slack-payload.js';

describe('buildTaskTextMessage (notify)', () => {
  const task = taskFrom('fargate-stopped-succeeded', { vpcId: 'vpc-0a1b2c3d' });

  it("shows the caller's text as written: no formatting, no mention, no link", () => {
    const text = '*done* `x` <!channel> @here https://evil.example &amp;';
    const body = buildTaskTextMessage(task, text).attachments?.[0]?.blocks?.find(
      (b) => b.type === 'section' && (b as SectionBlock).text?.type === 'plain_text',
    );
    expect(body).toEqual({
      type: 'section',
      text: {
        type: 'plain_text',
        text: '*done* `x` &lt;!channel&gt; @here https://evil.example &amp;amp;',
        emoji: false,
      },
    });
  });

  it('heads the notification with the task identity, and keeps it from pinging or linking', () => {
    const message = buildTaskTextMessage(task, '@here see https://evil.example');
    expect(message.text).toBe(
      '[batch-a · vpc-0a1b2c3d] nightly-report:42: @\u2060here see https:\u2060//evil.\u2060example',
    );
  });

  it('puts no text from the caller in mrkdwn', () => {
    const message = buildTaskTextMessage(task, 'secret-word');
    expect(
      payloadTexts(message).filter((t) => t.kind === 'mrkdwn' && t.text.includes('secret-word')),
    ).toEqual([]);
  });

  it('keeps within Slack limits however long the text', () => {
    expect(limitProblems(buildTaskTextMessage(task, '<'.repeat(10_000)))).toEqual([]);
  });
});
