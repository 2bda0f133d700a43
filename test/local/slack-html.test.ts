import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSender } from '../../lambda/adapters/slack.js';
import { mrkdwnToHtml } from '../../local/slack-html.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';

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
    expect(mrkdwnToHtml('<!channel>')).toBe('<span class="mention">!channel</span>');
  });
});
