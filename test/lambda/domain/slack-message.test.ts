import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  buildPlainTextMessage,
  buildSlackMessage,
  type SlackMessage,
} from '../../../lambda/domain/slack-message.js';
import { reportFrom } from '../../support/reports.js';

function blocksOf(message: SlackMessage): KnownBlock[] {
  return (message.attachments?.[0]?.blocks ?? []) as KnownBlock[];
}

function allText(message: SlackMessage): string {
  return JSON.stringify(message);
}

describe('buildSlackMessage', () => {
  it('heads the message with family:revision and the outcome, and names the source in the fallback text', () => {
    const message = buildSlackMessage(reportFrom('ec2-stopped-failed'));
    expect(blocksOf(message)[0]).toMatchObject({
      type: 'header',
      text: { text: 'customer-import:7 failed' },
    });
    expect(message.text).toBe(
      ':x: [batch (vpc-a)] customer-import:7 failed (1 of 2 exited non-zero) on batch-b',
    );
  });

  it('colours the attachment by outcome', () => {
    expect(buildSlackMessage(reportFrom('fargate-stopped-succeeded')).attachments?.[0]?.color).toBe(
      '#2EB67D',
    );
    expect(buildSlackMessage(reportFrom('ec2-stopped-failed')).attachments?.[0]?.color).toBe('#E01E5A');
    expect(buildSlackMessage(reportFrom('aws-cn-scheduler-stopped')).attachments?.[0]?.color).toBe('#ECB22E');
  });

  it('lists exit codes per container with their reasons', () => {
    const text = allText(buildSlackMessage(reportFrom('ec2-stopped-failed')));
    expect(text).toContain('• `import` exit 1 — CannotPullContainerError: none');
    expect(text).toContain('• `log-router` exit 0');
  });

  it('shows source, cluster, stop code, times, duration, startedBy and group as fields', () => {
    const fields = (
      blocksOf(buildSlackMessage(reportFrom('fargate-stopped-succeeded')))[1] as {
        fields: { text: string }[];
      }
    ).fields;
    expect(fields.map((f) => f.text.split('\n')[0])).toEqual([
      '*Source*',
      '*Task definition*',
      '*Outcome*',
      '*Cluster*',
      '*Stop code*',
      '*Duration*',
      '*Started*',
      '*Stopped*',
      '*Started by*',
      '*Group*',
    ]);
    expect(fields[0]?.text).toBe('*Source*\nbatch (vpc-a) · `vpc-0a1b2c3d`');
    expect(fields[5]?.text).toBe('*Duration*\n10m 10s');
  });

  it('shows an unknown revision as such, never a guess', () => {
    const message = buildSlackMessage(reportFrom('no-revision-stopped'));
    expect(allText(message)).toContain('webserver:? (revision unknown)');
    expect(allText(message)).toContain('/ecs/v2/task-definitions/webserver?region=us-east-1|');
  });

  it('links the task and the task definition in the ECS console', () => {
    const text = allText(buildSlackMessage(reportFrom('fargate-stopped-succeeded')));
    expect(text).toContain(
      '<https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/batch-a/tasks/0f1e2d3c4b5a69788796a5b4c3d2e1f0/configuration?region=eu-west-1|',
    );
    expect(text).toContain('/ecs/v2/task-definitions/nightly-report/42/containers?region=eu-west-1|');
  });

  it('uses the China and GovCloud console hosts for those partitions', () => {
    expect(allText(buildSlackMessage(reportFrom('aws-cn-scheduler-stopped')))).toContain(
      'https://console.amazonaws.cn/ecs/v2/clusters/',
    );
    expect(allText(buildSlackMessage(reportFrom('us-gov-failed-to-start')))).toContain(
      'https://console.amazonaws-us-gov.com/ecs/v2/clusters/gov-batch/',
    );
  });

  it('escapes Slack control sequences in text from events, so nothing can ping or link', () => {
    const reason = 'boom <!channel> <@U123> <http://evil.example|click> & more';
    const text = allText(buildSlackMessage(reportFrom('ec2-stopped-failed', { stoppedReason: reason })));
    expect(text).toContain(
      'boom &lt;!channel&gt; &lt;@U123&gt; &lt;http://evil.example|click&gt; &amp; more',
    );
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
  });

  it('truncates to Slack limits with an ellipsis', () => {
    const huge = 'x'.repeat(10_000);
    const report = reportFrom('ec2-stopped-failed', {
      stoppedReason: huge,
      family: 'f'.repeat(255),
      containers: Array.from({ length: 200 }, (_, i) => ({ name: `c${i}`, exitCode: 1, reason: huge })),
    });
    const message = buildSlackMessage(report);
    const blocks = blocksOf(message);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const header = blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text.endsWith('…')).toBe(true);
    for (const block of blocks) {
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'section' && block.fields) {
        expect(block.fields.length).toBeLessThanOrEqual(10);
        for (const field of block.fields) expect(field.text.length).toBeLessThanOrEqual(2000);
      }
    }
  });

  it.each([
    [
      { status: 'mismatch', described: { family: 'customer-import', revision: 8 } },
      'DescribeTasks names customer-import:8, the event customer-import:7',
    ],
    [{ status: 'missing', detail: 'MISSING' }, 'Unverified: DescribeTasks no longer knows this task'],
    [
      { status: 'unavailable', detail: 'ThrottlingException' },
      'Unverified: DescribeTasks unavailable (ThrottlingException)',
    ],
    [{ status: 'not-run' }, 'Not cross-checked with DescribeTasks'],
  ] as const)('states the cross-check result %j', (crossCheck, expected) => {
    expect(allText(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck })))).toContain(
      expected,
    );
  });
});

describe('buildPlainTextMessage', () => {
  it('carries the same facts as text only, without blocks', () => {
    const message = buildPlainTextMessage(reportFrom('ec2-stopped-failed'));
    expect(message.attachments).toBeUndefined();
    expect(message.text).toContain('[batch (vpc-a)] customer-import:7 failed');
    expect(message.text).toContain(
      'Task: arn:aws:ecs:us-east-2:444455556666:task/batch-b/9a8b7c6d5e4f30211203f4e5d6c7b8a9',
    );
  });
});
