import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  buildPlainTextMessage,
  buildSlackMessage,
  type SlackMessage,
} from '../../../lambda/domain/slack-message.js';
import type { CrossCheck } from '../../../lambda/domain/task.js';
import { reportFrom } from '../../support/reports.js';
import { HOSTILE_TEXT, limitProblems, payloadTexts } from '../../support/slack-payload.js';

function blocksOf(message: SlackMessage): KnownBlock[] {
  return (message.attachments?.[0]?.blocks ?? []) as KnownBlock[];
}

/** The table's rows as [label, value object]. */
function rows(message: SlackMessage): [string, { type: string; text: string }][] {
  const fields = blocksOf(message)
    .filter((b): b is SectionBlock => b.type === 'section' && !b.text && Boolean(b.fields))
    .flatMap((b) => b.fields ?? []);
  const out: [string, { type: string; text: string }][] = [];
  for (let i = 0; i < fields.length; i += 2) out.push([fields[i]?.text ?? '', fields[i + 1] as never]);
  return out;
}

function row(message: SlackMessage, label: string): { type: string; text: string } | undefined {
  return rows(message).find(([name]) => name === `*${label}*`)?.[1];
}

function mrkdwnTexts(message: SlackMessage): string[] {
  return payloadTexts(message)
    .filter((t) => t.kind === 'mrkdwn')
    .map((t) => t.text);
}

describe('buildSlackMessage', () => {
  it('heads the message with family:revision and the outcome, and names the source in the fallback text', () => {
    const message = buildSlackMessage(reportFrom('ec2-stopped-failed'));
    expect(blocksOf(message)[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: 'customer-import:7 failed' },
    });
    expect(message.text).toBe(
      ':x: [batch (vpc-a)] customer-import:7 failed (1 of 2 exited non-zero) on batch-b',
    );
  });

  it('shows the same summary line above the attachment as a plain-text block', () => {
    expect(buildSlackMessage(reportFrom('ec2-stopped-failed')).blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'plain_text',
          text: '❌ [batch (vpc-a)] customer-import:7 failed (1 of 2 exited non-zero) on batch-b',
          emoji: false,
        },
      },
    ]);
  });

  it('colours the attachment by outcome', () => {
    expect(buildSlackMessage(reportFrom('fargate-stopped-succeeded')).attachments?.[0]?.color).toBe(
      '#2EB67D',
    );
    expect(buildSlackMessage(reportFrom('ec2-stopped-failed')).attachments?.[0]?.color).toBe('#E01E5A');
    expect(buildSlackMessage(reportFrom('aws-cn-scheduler-stopped')).attachments?.[0]?.color).toBe('#ECB22E');
  });

  it('lays the facts out as a table: our labels in bold, the values as plain text', () => {
    const message = buildSlackMessage(reportFrom('ec2-stopped-failed'));
    expect(rows(message).map(([label, value]) => [label, value.type])).toEqual(
      [
        'Source',
        'Task definition',
        'Outcome',
        'Cluster',
        'Stop code',
        'Duration',
        'Started',
        'Stopped',
        'Started by',
        'Group',
        'Stop reason',
        'Containers',
      ].map((label) => [`*${label}*`, 'plain_text']),
    );
    expect(row(message, 'Source')?.text).toBe('batch (vpc-a) · vpc-0a1b2c3d');
    expect(row(message, 'Duration')?.text).toBe('15m 05s');
  });

  it('lists exit codes per container with their reasons', () => {
    expect(row(buildSlackMessage(reportFrom('ec2-stopped-failed')), 'Containers')?.text).toBe(
      '• import: exit 1 — CannotPullContainerError: none\n• log-router: exit 0',
    );
  });

  it('shows an unknown revision as such, never a guess', () => {
    const message = buildSlackMessage(reportFrom('no-revision-stopped'));
    expect(row(message, 'Task definition')?.text).toBe('webserver:? (revision unknown)');
    expect(JSON.stringify(message)).toContain('/ecs/v2/task-definitions/webserver?region=us-east-1|');
  });

  it('links the task and the task definition in the ECS console, with our own labels', () => {
    const links = blocksOf(buildSlackMessage(reportFrom('fargate-stopped-succeeded'))).find(
      (b) => b.type === 'section' && b.text?.text.startsWith('ECS console:'),
    ) as SectionBlock;
    expect(links.text).toEqual({
      type: 'mrkdwn',
      verbatim: true,
      text:
        'ECS console: <https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/batch-a/tasks/0f1e2d3c4b5a69788796a5b4c3d2e1f0/configuration?region=eu-west-1|task>' +
        '  ·  <https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions/nightly-report/42/containers?region=eu-west-1|task definition>',
    });
  });

  it('uses the China and GovCloud console hosts for those partitions', () => {
    expect(JSON.stringify(buildSlackMessage(reportFrom('aws-cn-scheduler-stopped')))).toContain(
      'https://console.amazonaws.cn/ecs/v2/clusters/',
    );
    expect(JSON.stringify(buildSlackMessage(reportFrom('us-gov-failed-to-start')))).toContain(
      'https://console.amazonaws-us-gov.com/ecs/v2/clusters/gov-batch/',
    );
  });

  it('shows the task ARN, where it ran and its tags as plain text', () => {
    const context = blocksOf(buildSlackMessage(reportFrom('fargate-stopped-succeeded'))).at(-1);
    expect(context).toMatchObject({
      type: 'context',
      elements: [
        {
          type: 'plain_text',
          text: 'Task arn:aws:ecs:eu-west-1:111122223333:task/batch-a/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        },
        { type: 'plain_text', text: 'FARGATE · eu-west-1a · subnet-0aaa1111' },
      ],
    });
  });

  it('keeps within every Slack limit, cutting with an ellipsis', () => {
    const huge = 'x'.repeat(10_000);
    const message = buildSlackMessage(
      reportFrom('ec2-stopped-failed', {
        stoppedReason: huge,
        family: 'f'.repeat(255),
        startedBy: huge,
        containers: Array.from({ length: 200 }, (_, i) => ({ name: `c${i}`, exitCode: 1, reason: huge })),
        tags: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, huge])),
      }),
    );
    expect(limitProblems(message)).toEqual([]);
    expect((blocksOf(message)[0] as { text: { text: string } }).text.text.endsWith('…')).toBe(true);
    expect(row(message, 'Stop reason')?.text).toHaveLength(2000);
  });
});

describe('buildSlackMessage on text from events as an attacker would write it', () => {
  const message = buildSlackMessage(reportFrom('ec2-stopped-failed', HOSTILE_TEXT));

  it('keeps a *bold* stop reason literal, and drops its bidi override and ESC sequences', () => {
    expect(row(message, 'Stop reason')).toEqual({
      type: 'plain_text',
      text: '*bold* reason evil [31mred[0m https://evil.example @here',
      emoji: false,
    });
  });

  it('shows a container name with a backtick as written, in no code span to break out of', () => {
    expect(row(message, 'Containers')?.text).toBe(
      '• evil`name: exit 2 — OutOfMemoryError: see &lt;https://evil.example|the docs&gt; &amp;amp; @here',
    );
    expect(row(message, 'Containers')?.type).toBe('plain_text');
  });

  it('escapes <!channel> and <@user> so they neither ping nor link', () => {
    expect(row(message, 'Group')?.text).toBe('&lt;!channel&gt;');
    expect(row(message, 'Started by')?.text).toBe('_italic_ ~strike~ &lt;@U024BE7LH&gt;');
  });

  it('puts no text from the event in mrkdwn, and marks all our mrkdwn verbatim', () => {
    const mrkdwn = payloadTexts(message).filter((t) => t.kind === 'mrkdwn');
    expect(mrkdwn.every((t) => t.verbatim)).toBe(true);
    for (const word of ['bold', 'evil', 'channel', 'italic', 'U024BE7LH', 'OutOfMemory'])
      expect(mrkdwnTexts(message).filter((t) => t.includes(word))).toEqual([]);
  });
});

describe('the cross-check in the message', () => {
  const mismatch: CrossCheck = { status: 'mismatch', described: { family: 'customer-import', revision: 8 } };

  it('gives a mismatch its own section right under the header, with a warning and both values', () => {
    const blocks = blocksOf(
      buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck: mismatch })),
    );
    expect(blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':warning: *Task definition mismatch*: the event and DescribeTasks disagree',
        verbatim: true,
      },
      fields: [
        { type: 'mrkdwn', text: '*The event says*', verbatim: true },
        { type: 'plain_text', text: 'customer-import:7', emoji: false },
        { type: 'mrkdwn', text: '*DescribeTasks says*', verbatim: true },
        { type: 'plain_text', text: 'customer-import:8', emoji: false },
      ],
    });
  });

  it('does not repeat a mismatch as a grey context line', () => {
    const blocks = blocksOf(
      buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck: mismatch })),
    );
    expect(JSON.stringify(blocks.filter((b) => b.type === 'context'))).not.toContain('customer-import:8');
  });

  it('shows what DescribeTasks named as plain text, whatever it is', () => {
    const crossCheck: CrossCheck = { status: 'mismatch', described: { family: '*x*<!here>', revision: 2 } };
    const section = blocksOf(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck })))[1];
    expect((section as SectionBlock).fields?.[3]).toEqual({
      type: 'plain_text',
      text: '*x*&lt;!here&gt;:2',
      emoji: false,
    });
  });

  it.each([
    [
      { status: 'confirmed', described: { family: 'customer-import', revision: 7 } },
      ':white_check_mark:',
      'Confirmed by DescribeTasks: customer-import:7',
    ],
    [
      { status: 'missing', detail: 'MISSING' },
      ':grey_question:',
      'Unverified: DescribeTasks no longer knows this task (MISSING)',
    ],
    [
      { status: 'unavailable', detail: 'ThrottlingException' },
      ':grey_question:',
      'Unverified: DescribeTasks unavailable (ThrottlingException)',
    ],
  ] as const)('states %j in one compact context line', (crossCheck, emoji, sentence) => {
    const blocks = blocksOf(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck })));
    expect(blocks).toContainEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: emoji, verbatim: true },
        { type: 'plain_text', text: sentence, emoji: false },
      ],
    });
  });

  it('says when there was no cross-check', () => {
    const crossCheck: CrossCheck = { status: 'not-run' };
    expect(blocksOf(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck })))).toContainEqual({
      type: 'context',
      elements: [{ type: 'plain_text', text: 'Not cross-checked with DescribeTasks', emoji: false }],
    });
  });

  it('shows why DescribeTasks was unavailable as plain text', () => {
    const crossCheck: CrossCheck = { status: 'unavailable', detail: '<!here> *Denied*' };
    expect(JSON.stringify(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck })))).toContain(
      '{"type":"plain_text","text":"Unverified: DescribeTasks unavailable (&lt;!here&gt; *Denied*)","emoji":false}',
    );
  });
});

describe('the source note', () => {
  const source = {
    label: 'batch-b (444455556666, us-east-2)',
    configured: false,
    note: 'EC2 DescribeSubnets failed: AccessDenied (HTTP 403)',
  };

  it('shows why the source is uncertain as a warning row right under the source', () => {
    const table = rows(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { source })));
    expect(table.slice(0, 2)).toEqual([
      [
        '*Source*',
        { type: 'plain_text', text: 'batch-b (444455556666, us-east-2) (not configured)', emoji: false },
      ],
      [
        '*:warning: Source uncertain*',
        { type: 'plain_text', text: 'EC2 DescribeSubnets failed: AccessDenied (HTTP 403)', emoji: false },
      ],
    ]);
  });

  it('shows the note as plain text, whatever error name it embeds', () => {
    const message = buildSlackMessage(
      reportFrom('ec2-stopped-failed', {}, { source: { ...source, note: 'failed: <!here> *x*' } }),
    );
    expect(row(message, ':warning: Source uncertain')?.text).toBe('failed: &lt;!here&gt; *x*');
  });

  it('shows no warning row when the source is certain', () => {
    expect(
      row(buildSlackMessage(reportFrom('ec2-stopped-failed')), ':warning: Source uncertain'),
    ).toBeUndefined();
  });
});

describe('buildPlainTextMessage', () => {
  it('carries the same facts as text only, without blocks', () => {
    const message = buildPlainTextMessage(reportFrom('ec2-stopped-failed'));
    expect(message.attachments).toBeUndefined();
    expect(message.blocks).toBeUndefined();
    expect(message.text.split('\n')).toEqual([
      ':x: [batch (vpc-a)] customer-import:7 failed (1 of 2 exited non-zero) on batch-b',
      ':white_check_mark: Confirmed by DescribeTasks: customer-import:7',
      'Stop reason: Essential container in task exited',
      'Task: arn:aws:ecs:us-east-2:444455556666:task/batch-b/9a8b7c6d5e4f30211203f4e5d6c7b8a9',
    ]);
  });

  it('names a mismatch and the source note', () => {
    const message = buildPlainTextMessage(
      reportFrom(
        'ec2-stopped-failed',
        {},
        {
          crossCheck: { status: 'mismatch', described: { family: 'customer-import', revision: 8 } },
          source: { label: 'batch', configured: true, note: 'EC2 DescribeSubnets failed: AccessDenied' },
        },
      ),
    );
    expect(message.text).toContain(':warning: Source uncertain: EC2 DescribeSubnets failed: AccessDenied');
    expect(message.text).toContain(
      ':warning: Task definition mismatch: the event says customer-import:7, DescribeTasks says customer-import:8',
    );
  });

  it('keeps a stop reason from pinging or linking: <!channel>, @here and a bare URL stay inert', () => {
    const text = buildPlainTextMessage(reportFrom('ec2-stopped-failed', HOSTILE_TEXT)).text;
    expect(text).toContain(
      'Stop reason: *bold* reason evil [31mred[0m https:\u2060//evil.\u2060example @\u2060here',
    );
    expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt);)|:\/\/|@(?!\u2060)/);
  });
});
