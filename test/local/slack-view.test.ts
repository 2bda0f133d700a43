import { describe, expect, it } from 'vitest';
import { buildSlackMessage } from '../../lambda/domain/message/slack-message.js';
import { preformattedBlock } from '../../lambda/domain/message/slack-text.js';
import { renderMessageText, viewMessage } from '../../local/slack-view.js';
import { reportFrom } from '../support/reports.js';

describe('renderMessageText', () => {
  const report = reportFrom(
    'ec2-stopped-failed',
    {},
    {
      crossCheck: { status: 'mismatch', described: { family: 'customer-import', revision: 8 } },
      source: {
        label: 'batch (vpc-b)',
        configured: true,
        vpcId: 'vpc-0b2c3d4e',
        note: 'EC2 DescribeSubnets failed',
      },
    },
  );
  const lines = renderMessageText(buildSlackMessage(report), '').split('\n');

  it('starts with the first line, then what is in doubt', () => {
    expect(lines.slice(0, 6)).toEqual([
      '❌ customer-import:7 failed in batch (vpc-b): import exited with an error (exit 1): CannotPullContainerError: none',
      '⚠️ Task definition mismatch: the event and DescribeTasks disagree',
      'The event says              customer-import:7',
      'DescribeTasks says          customer-import:8',
      '⚠️ Source uncertain',
      'EC2 DescribeSubnets failed',
    ]);
  });

  it('shows the table as label and value, one row a line', () => {
    expect(lines).toContain('Ran on                      batch-b · vpc-0b2c3d4e · EC2 · us-east-2');
    expect(lines).toContain('Other containers            log-router exit 0');
  });

  it('shows links by their labels', () => {
    expect(lines.at(-1)).toBe('ECS console: task 9a8b7c6d  ·  task definition');
  });

  it('puts an emoji-only context element in front of the element after it', () => {
    const text = renderMessageText(buildSlackMessage(reportFrom('ec2-stopped-failed')), '');
    expect(text.split('\n').at(-1)).toBe('✅ confirmed by DescribeTasks');
  });

  it('shows a preformatted block line by line, marked as such', () => {
    expect(renderMessageText({ blocks: [preformattedBlock('a *b*\nc')] }, '')).toBe('│ a *b*\n│ c');
  });

  it('drops control characters, so a payload cannot drive the terminal', () => {
    const payload = {
      blocks: [{ type: 'section', text: { type: 'plain_text', text: 'x\u001b]0;title\u0007y' } }],
    };
    expect(renderMessageText(payload, '')).toBe('x]0;titley');
  });
});

describe('viewMessage', () => {
  it('keeps the top-level text only when there are no top-level blocks', () => {
    expect(viewMessage({ text: 't', blocks: [{ type: 'divider' }] }).text).toBeUndefined();
    expect(viewMessage({ text: 't', attachments: [{ blocks: [{ type: 'divider' }] }] }).text).toBe('t');
  });

  it('reads plain_text and verbatim mrkdwn as such', () => {
    const view = viewMessage({
      blocks: [
        {
          type: 'context',
          elements: [
            { type: 'plain_text', text: 'a', emoji: false },
            { type: 'mrkdwn', text: 'b', verbatim: true },
          ],
        },
      ],
    });
    expect(view.blocks).toEqual([
      {
        kind: 'context',
        items: [
          { type: 'plain_text', text: 'a', emoji: false },
          { type: 'mrkdwn', text: 'b', verbatim: true },
        ],
      },
    ]);
  });
});
