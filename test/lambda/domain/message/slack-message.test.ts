import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  buildPlainTextMessage,
  buildSlackMessage,
  type SlackMessage,
} from '../../../../lambda/domain/message/slack-message.js';
import type { CrossCheck, TaskLogs } from '../../../../lambda/domain/task/task.js';
import { reportFrom } from '../../../support/reports.js';
import { HOSTILE_TEXT, limitProblems, payloadTexts } from '../../../support/slack-payload.js';

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
      'Stop reason: ∗bold∗ reason evil [31mred[0m https:\u2060//evil.\u2060example @\u2060here',
    );
    expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt);)|:\/\/|@(?!\u2060)/);
  });
});

describe('images and task size', () => {
  it('shows each container image (repository:tag, the digest to 12) and the task CPU and memory as rows', () => {
    const message = buildSlackMessage(
      reportFrom('fargate-stopped-succeeded', {
        cpu: '1024',
        memory: '2048',
        containers: [
          {
            name: 'report',
            exitCode: 0,
            image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/nightly-report:3.2.0',
            imageDigest: `sha256:${'ab12'.repeat(16)}`,
          },
          { name: 'sidecar', exitCode: 0 },
        ],
      }),
    );

    expect(row(message, 'Images')).toEqual({
      type: 'plain_text',
      text: '• report: nightly-report:3.2.0 @sha256:ab12ab12ab12',
      emoji: false,
    });
    expect(row(message, 'Task size')?.text).toBe('1 vCPU · 2 GiB');
  });
});

describe('the logs in the message', () => {
  const stream = (container: string) => ({
    group: '/ecs/customer-import',
    stream: `ecs/${container}/9a8b7c6d5e4f30211203f4e5d6c7b8a9`,
    region: 'us-east-2',
    partition: 'aws',
  });
  const withLogs = (logs: TaskLogs) => buildSlackMessage({ ...reportFrom('ec2-stopped-failed'), logs });
  const containers: TaskLogs['containers'] = [
    { container: 'import', driver: 'awslogs', stream: stream('import') },
    { container: 'log-router', driver: 'awsfirelens' },
  ];
  const logsSection = (message: SlackMessage) =>
    blocksOf(message).find((b) => b.type === 'section' && b.text?.text === '*Logs* (CloudWatch console)') as
      | SectionBlock
      | undefined;

  it('links each container log stream with our own label, the container name as plain text beside it', () => {
    const section = logsSection(withLogs({ containers, tail: { status: 'off' } }));

    expect(section?.fields).toEqual([
      { type: 'plain_text', text: 'import', emoji: false },
      {
        type: 'mrkdwn',
        verbatim: true,
        text: '<https://us-east-2.console.aws.amazon.com/cloudwatch/home?region=us-east-2#logsV2:log-groups/log-group/$252Fecs$252Fcustomer-import/log-events/ecs$252Fimport$252F9a8b7c6d5e4f30211203f4e5d6c7b8a9|log stream>',
      },
      { type: 'plain_text', text: 'log-router', emoji: false },
      { type: 'plain_text', text: 'logs with awsfirelens (no link)', emoji: false },
    ]);
  });

  it('shows the failed container last lines in a code block, under a line saying how many were left out', () => {
    const blocks = blocksOf(
      withLogs({
        containers,
        tail: {
          status: 'shown',
          container: 'import',
          lines: ['pulling', 'Killed <!channel>'],
          omitted: 12,
          more: false,
        },
      }),
    );
    const at = blocks.findIndex((b) => b.type === 'rich_text');

    expect(blocks[at - 1]).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', verbatim: true, text: '*Last log lines*' },
        { type: 'plain_text', text: 'import: the last 2 lines; 12 earlier not shown', emoji: false },
      ],
    });
    expect(blocks[at]).toEqual({
      type: 'rich_text',
      elements: [
        { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'pulling\nKilled <!channel>' }] },
      ],
    });
  });

  it('says so when more earlier lines may exist than were read', () => {
    const message = withLogs({
      containers,
      tail: { status: 'shown', container: 'import', lines: ['a'], omitted: 49, more: true },
    });

    expect(JSON.stringify(message)).toContain('import: the last 1 line; 49+ earlier not shown');
  });

  it('for an empty stream, says there are no lines yet and links the stream to open', () => {
    const message = withLogs({ containers, tail: { status: 'empty', container: 'import' } });

    expect(mrkdwnTexts(message)).toContainEqual(
      expect.stringMatching(
        /^:grey_question: No log lines yet: <https:\/\/us-east-2\.console\.aws\.amazon\.com\/cloudwatch\/.*\|open the stream>$/,
      ),
    );
  });

  it('marks why the tail is missing: denied, failed, too slow, or a group outside logGroups', () => {
    const notes = (['denied', 'unavailable', 'timeout', 'outside'] as const).map((status) =>
      payloadTexts(
        withLogs({
          containers,
          tail: {
            status,
            container: 'import',
            detail:
              status === 'outside' ? 'log group /x is not in logGroups' : 'ThrottlingException (HTTP 400)',
          },
        }),
      )
        .filter((t) => t.text.startsWith('Log tail not shown'))
        .map((t) => t.text),
    );

    expect(notes).toEqual([
      ['Log tail not shown: reading the log of import was denied (ThrottlingException (HTTP 400))'],
      ['Log tail not shown: CloudWatch Logs failed (ThrottlingException (HTTP 400))'],
      ['Log tail not shown: CloudWatch Logs did not answer in time'],
      ['Log tail not shown: log group /x is not in logGroups'],
    ]);
  });

  it('says in one short context line, and with no links, when the task definition could not be read', () => {
    const message = withLogs({
      unavailable: 'AccessDeniedException (HTTP 400)',
      containers: [],
      tail: { status: 'none' },
    });

    expect(logsSection(message)).toBeUndefined();
    expect(blocksOf(message)).toContainEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', verbatim: true, text: ':grey_question:' },
        {
          type: 'plain_text',
          text: 'No log links: the task definition could not be read (AccessDeniedException (HTTP 400))',
          emoji: false,
        },
      ],
    });
  });

  it('says nothing about logs when none were looked up, or the tail is off', () => {
    const plain = JSON.stringify(buildSlackMessage(reportFrom('ec2-stopped-failed')));
    const off = JSON.stringify(withLogs({ containers, tail: { status: 'off' } }));

    expect(plain).not.toMatch(/log stream|Last log lines|Log tail/);
    expect(off).not.toMatch(/Last log lines|Log tail/);
  });

  it('keeps ten containers and a full tail within every Slack limit', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      container: `c${i}`.padEnd(300, 'x'),
      driver: 'awslogs',
      stream: { ...stream(`c${i}`), group: `/${'g'.repeat(511)}`, stream: 's/'.repeat(256) },
    }));
    const lines = Array.from({ length: 50 }, () => 'y'.repeat(200));

    const message = withLogs({
      containers: many,
      tail: { status: 'shown', container: 'c0', lines, omitted: 0, more: false },
    });

    expect(limitProblems(message)).toEqual([]);
  });
});
