import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSender } from '../../lambda/adapters/slack.js';
import { buildSlackMessage } from '../../lambda/domain/message/slack-message.js';
import { mrkdwnToHtml, renderMessagesHtml, textHtml } from '../../local/slack-html.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { reportFrom } from '../support/reports.js';
import { HOSTILE_TEXT } from '../support/slack-payload.js';

const message = {
  text: 'fallback',
  attachments: [
    {
      color: '#E01E5A',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'batch-job:7 failed &lt;script&gt;' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Source*\nprod' },
            { type: 'mrkdwn', text: '*Cluster*\nbatch' },
          ],
        },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '<https://console.example/task?a=1&amp;b=2|Task abc>' },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Task `arn:aws:ecs:x` &amp; more' }] },
      ],
    },
  ],
};

describe('Slack sink HTML view', () => {
  let sink: SlackSink;
  let page: string;
  beforeAll(async () => {
    sink = await startSlackSink();
    await createSlackSender(sink.hookUrl).send(message);
    page = await (await fetch(`${sink.url}/`)).text();
  });
  afterAll(() => sink.close());

  it('shows the attachment colour as the bar', () => {
    expect(page).toContain('class="bar" style="background:#E01E5A"');
  });

  it('shows the header with Slack entities as characters, escaped for HTML', () => {
    expect(page).toContain('<div class="header">batch-job:7 failed &lt;script&gt;</div>');
    expect(page).not.toContain('<script>');
  });

  it('lays section fields out in two columns with bold names', () => {
    expect(page).toContain(
      '<div class="fields"><div><b>Source</b><br>prod</div><div><b>Cluster</b><br>batch</div></div>',
    );
  });

  it('renders a mrkdwn link as an anchor', () => {
    expect(page).toContain(
      '<a href="https://console.example/task?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">Task abc</a>',
    );
  });

  it('renders code and decodes &amp; in context lines', () => {
    expect(page).toContain('<span>Task <code>arn:aws:ecs:x</code> &amp; more</span>');
  });
});

describe('mrkdwnToHtml', () => {
  it('does not link a javascript: URL', () => {
    expect(mrkdwnToHtml('<javascript:alert(1)|click>')).toBe('click');
  });

  it('escapes quotes that could end an attribute', () => {
    expect(mrkdwnToHtml('<https://x.example/"onmouseover="a|x>')).toContain(
      'href="https://x.example/&quot;onmouseover=&quot;a"',
    );
  });

  it('renders a mention without pinging anyone', () => {
    expect(mrkdwnToHtml('<!channel>')).toBe('<span class="mention">@channel</span>');
    expect(mrkdwnToHtml('<!subteam^S0614TZR7> <@U024BE7LH>')).toBe(
      '<span class="mention">@S0614TZR7</span> <span class="mention">@U024BE7LH</span>',
    );
  });

  it('links a bare URL as Slack does, unless the text is verbatim', () => {
    expect(mrkdwnToHtml('see https://x.example/a')).toBe(
      'see <a href="https://x.example/a" target="_blank" rel="noopener noreferrer">https://x.example/a</a>',
    );
    expect(mrkdwnToHtml('see https://x.example/a', { verbatim: true })).toBe('see https://x.example/a');
  });
});

describe('textHtml', () => {
  it('shows plain_text as written: no bold, no code, no link, no mention, entities as characters', () => {
    expect(
      textHtml({
        type: 'plain_text',
        text: '*b* `c` https://x.example &lt;!here&gt; &amp;amp;',
        emoji: false,
      }),
    ).toBe('*b* `c` https://x.example &lt;!here&gt; &amp;amp;');
  });

  it('turns :emoji: codes in plain_text into emoji only when asked to', () => {
    expect(textHtml({ type: 'plain_text', text: ':warning:', emoji: true })).toBe('⚠️');
    expect(textHtml({ type: 'plain_text', text: ':warning:', emoji: false })).toBe(':warning:');
  });

  it('keeps the line breaks of plain_text', () => {
    expect(textHtml({ type: 'plain_text', text: 'a\nb', emoji: false })).toBe('a<br>b');
  });
});

describe('renderMessagesHtml', () => {
  const page = (payload: unknown) =>
    renderMessagesHtml([{ receivedAt: '2024-11-05T07:15:09.000Z', path: '/hook', payload }]);

  it('shows the top-level blocks and not the text, as Slack does when there are blocks', () => {
    const html = page({
      text: 'notification only',
      blocks: [{ type: 'section', text: { type: 'plain_text', text: 'shown *as is*' } }],
    });
    expect(html).toContain('<div class="text">shown *as is*</div>');
    expect(html).not.toContain('notification only');
  });

  it('shows the text when there are no top-level blocks', () => {
    expect(page({ text: '*hello*' })).toContain('<div class="text"><b>hello</b></div>');
  });

  it('renders plain_text fields and context elements literally', () => {
    const html = page({
      attachments: [
        {
          blocks: [
            {
              type: 'section',
              fields: [
                { type: 'mrkdwn', text: '*Group*', verbatim: true },
                { type: 'plain_text', text: '&lt;!channel&gt; _x_', emoji: false },
              ],
            },
            { type: 'context', elements: [{ type: 'plain_text', text: 'Task `arn`', emoji: false }] },
          ],
        },
      ],
    });
    expect(html).toContain(
      '<div class="fields"><div><b>Group</b></div><div>&lt;!channel&gt; _x_</div></div>',
    );
    expect(html).toContain('<div class="context"><span>Task `arn`</span></div>');
  });

  it('renders rich text: styled sections, lists, quotes and preformatted blocks', () => {
    const html = page({
      blocks: [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'Log ', style: { bold: true } },
                { type: 'text', text: '<x>', style: { code: true } },
                { type: 'link', url: 'https://console.example/', text: 'open' },
              ],
            },
            {
              type: 'rich_text_list',
              style: 'bullet',
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] }],
            },
            { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
            {
              type: 'rich_text_preformatted',
              elements: [{ type: 'text', text: 'line 1 *x*\n<b>line 2</b>' }],
            },
          ],
        },
      ],
    });
    expect(html).toContain(
      '<div class="rich"><div><b>Log </b><code>&lt;x&gt;</code><a href="https://console.example/" target="_blank" rel="noopener noreferrer">open</a></div>' +
        '<ul><li>one</li></ul><blockquote>quoted</blockquote><pre>line 1 *x*\n&lt;b&gt;line 2&lt;/b&gt;</pre></div>',
    );
  });
});

describe('the sink page for a message built from a hostile event', () => {
  const report = reportFrom('ec2-stopped-failed', HOSTILE_TEXT, {
    crossCheck: { status: 'mismatch', described: { family: 'customer-import', revision: 8 } },
    source: { label: 'batch (vpc-b)', configured: true, note: 'EC2 DescribeSubnets failed: AccessDenied' },
  });
  const html = renderMessagesHtml([
    { receivedAt: '2024-11-05T08:15:09.000Z', path: '/hook', payload: buildSlackMessage(report) },
  ]);

  it('shows text from the event literally: no bold, no link, no mention', () => {
    expect(html).toContain(
      '<div class="header">❌ customer-import:7 failed in batch (vpc-b): evil`name out of memory (exit 2)</div>',
    );
    expect(html).toContain('<div>_italic_ ~strike~ &lt;@U024BE7LH&gt;</div>');
    expect(html).toContain('<div>&lt;!channel&gt;</div>');
    expect(html).not.toContain('<code>');
    expect(html).not.toContain('href="https://evil.example');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).not.toContain('class="mention"');
  });

  it('shows the mismatch and the source warning with bold labels', () => {
    expect(html).toContain('⚠️ <b>Task definition mismatch</b>: the event and DescribeTasks disagree');
    expect(html).toContain('<div><b>DescribeTasks says</b></div><div>customer-import:8</div>');
    expect(html).toContain(
      '<div class="text">⚠️ <b>Source uncertain</b></div>\n<div class="fields"><div>EC2 DescribeSubnets failed: AccessDenied</div></div>',
    );
  });
});

describe('the sink page as a channel', () => {
  const at = (time: string, path: string, text: string) => ({
    receivedAt: `2024-11-05T${time}.000Z`,
    path,
    payload: { blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
  });
  const html = renderMessagesHtml([
    at('07:00:00', '/hook', 'first'),
    at('07:05:00', '/hook/oncall', '<!subteam^S0614TZR7> second'),
    at('07:10:00', '/services/T000/B000/secret-token', 'third'),
  ]);

  it('shows the oldest message at the top and the newest at the bottom', () => {
    expect(html.indexOf('first')).toBeLessThan(html.indexOf('second'));
    expect(html.indexOf('second')).toBeLessThan(html.indexOf('third'));
  });

  it('names each hook like a channel, the default one too, and never shows a webhook token', () => {
    expect(html).toContain('to <span class="hook">#default</span>');
    expect(html).toContain('to <span class="hook">#oncall</span>');
    expect(html).toContain('to <span class="hook">#webhook</span>');
    expect(html).not.toContain('secret-token');
  });

  it('shows a mention as a chip with its ID', () => {
    expect(html).toContain('<span class="mention">@S0614TZR7</span> second');
    expect(html).toMatch(/\.mention\{[^}]*background/);
  });

  it('shows the time each message came at', () => {
    expect(html).toContain('<time datetime="2024-11-05T07:05:00.000Z">07:05:00</time>');
  });
});
