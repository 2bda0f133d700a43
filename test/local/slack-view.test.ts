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

  it('starts with the summary line, then the header', () => {
    expect(lines.slice(0, 2)).toEqual([
      '❌ [batch (vpc-b)] customer-import:7 failed (1 of 2 exited non-zero) on batch-b',
      'customer-import:7 failed',
    ]);
  });

  it('shows the mismatch section with both values', () => {
    expect(lines.slice(2, 5)).toEqual([
      '⚠️ Task definition mismatch: the event and DescribeTasks disagree',
      'The event says       customer-import:7',
      'DescribeTasks says   customer-import:8',
    ]);
  });

  it('shows the table as label and value, one row a line, continuing multi-line values', () => {
    expect(lines).toContain('Source               batch (vpc-b) · vpc-0b2c3d4e');
    expect(lines).toContain('⚠️ Source uncertain  EC2 DescribeSubnets failed');
    expect(lines).toContain('Containers           • import: exit 1 — CannotPullContainerError: none');
    expect(lines).toContain('                     • log-router: exit 0');
  });

  it('shows links by their labels and the details as plain lines', () => {
    expect(lines).toContain('ECS console: task  ·  task definition');
    expect(lines.at(-2)).toBe(
      'Task arn:aws:ecs:us-east-2:444455556666:task/batch-b/9a8b7c6d5e4f30211203f4e5d6c7b8a9',
    );
  });

  it('puts an emoji-only context element in front of the element after it', () => {
    const text = renderMessageText(buildSlackMessage(reportFrom('ec2-stopped-failed')), '');
    expect(text).toContain('\n✅ Confirmed by DescribeTasks: customer-import:7\n');
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
