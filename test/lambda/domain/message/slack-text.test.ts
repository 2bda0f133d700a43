import { describe, expect, it } from 'vitest';
import {
  cleanText,
  fieldTable,
  notificationText,
  ourMrkdwn,
  plainText,
  preformattedBlock,
  truncate,
} from '../../../../lambda/domain/message/slack-text.js';

describe('plainText', () => {
  it('puts outside text in a plain_text object, where *bold*, `code` and :emoji: stay as written', () => {
    expect(plainText('*bold* _it_ ~s~ `code` :skull:', 100)).toEqual({
      type: 'plain_text',
      text: '*bold* _it_ ~s~ `code` :skull:',
      emoji: false,
    });
  });

  it('escapes < > & so that <!channel> or <https://x|y> cannot be formed', () => {
    expect(plainText('<!channel> <https://evil.example|y> & <@U1>', 100).text).toBe(
      '&lt;!channel&gt; &lt;https://evil.example|y&gt; &amp; &lt;@U1&gt;',
    );
  });

  it('escapes an entity already in the text, so it shows as typed', () => {
    expect(plainText('&amp; &lt;', 100).text).toBe('&amp;amp; &amp;lt;');
  });

  it('removes control characters and ESC sequences, keeping newlines and tabs', () => {
    expect(plainText('a\u0000b\u001b[31mred\u001b[0m\r\nc\td\u0085', 100).text).toBe('ab[31mred[0m\nc\td');
  });

  it('removes bidi overrides, embeddings, isolates and marks', () => {
    expect(plainText('x\u202eevil\u202c \u2066iso\u2069 \u200fm\u200e\u061c', 100).text).toBe('xevil iso m');
  });

  it('keeps emoji made of several code points whole', () => {
    expect(plainText('👩‍👩‍👧‍👦 done', 100).text).toBe('👩‍👩‍👧‍👦 done');
  });

  it('replaces half a surrogate pair', () => {
    expect(plainText('a\ud800b', 100).text).toBe('a\ufffdb');
  });

  it('cuts to the limit after escaping, never inside an entity', () => {
    const text = plainText(`${'x'.repeat(8)}&`, 10).text;
    expect(text).toBe('xxxxxxxx…');
  });

  it('never sends an empty text object, which Slack refuses', () => {
    expect(plainText('\u0000\u202e ', 100).text).toBe('(empty)');
  });
});

describe('notificationText', () => {
  it('escapes < > & so that no mention or link can be formed', () => {
    expect(notificationText('<!here> <https://x.example|y> &')).not.toMatch(/[<>]|&(?!(amp|lt|gt);)/);
  });

  it('keeps @here, @channel and #channel from being parsed, invisibly', () => {
    const text = notificationText('@here @channel #general');
    expect(text).toBe('@\u2060here @\u2060channel #\u2060general');
    expect(text.replace(/\u2060/g, '')).toBe('@here @channel #general');
  });

  it('keeps a bare URL, a domain and an e-mail address from being linked', () => {
    expect(notificationText('https://evil.example www.evil.example a@evil.example')).toBe(
      'https:\u2060//evil.\u2060example www.\u2060evil.\u2060example a@\u2060evil.\u2060example',
    );
  });

  it('leaves text without such characters as it is', () => {
    expect(notificationText('[batch (vpc-a)] nightly-report:42 succeeded (exit 0) on batch-a')).toBe(
      '[batch (vpc-a)] nightly-report:42 succeeded (exit 0) on batch-a',
    );
  });

  it('removes control and bidi characters', () => {
    expect(notificationText('a\u001b[2Jb\u202ec')).toBe('a[2Jbc');
  });

  it('writes the characters of bold, italic, strike and code as lookalikes that mark nothing', () => {
    const text = notificationText('*acct* eu-*b*_i_~s~ `x` _lead trail_');
    expect(text).toBe('∗acct∗ eu-∗b∗ˍiˍ∼s∼ ˋxˋ ˍlead trailˍ');
    expect(text).not.toMatch(/[*~`_]/);
  });

  it('keeps an underscore inside a word, which Slack never reads as italics', () => {
    expect(notificationText('customer_import:7 on batch_a')).toBe('customer_import:7 on batch_a');
  });
});

describe('ourMrkdwn', () => {
  it('marks our own mrkdwn verbatim, so Slack links nothing we did not mark up', () => {
    expect(ourMrkdwn('*Source*')).toEqual({ type: 'mrkdwn', text: '*Source*', verbatim: true });
  });
});

describe('fieldTable', () => {
  it('pairs our bold label with the value as plain text', () => {
    expect(fieldTable([['Started by', '*evil*']])).toEqual([
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Started by*', verbatim: true },
          { type: 'plain_text', text: '*evil*', emoji: false },
        ],
      },
    ]);
  });

  it('leaves out rows without a value, or whose value is only what cleaning removes', () => {
    const [section] = fieldTable([
      ['A', undefined],
      ['B', ''],
      ['C', '\u0000 '],
      ['D', 'd'],
    ]);
    expect(section?.fields?.map((f) => f.text)).toEqual(['*D*', 'd']);
  });

  it('puts at most five rows (ten fields) in a section', () => {
    const rows = Array.from({ length: 13 }, (_, i) => [`L${i}`, `v${i}`] as const);
    expect(fieldTable(rows).map((s) => s.fields?.length)).toEqual([10, 10, 6]);
  });

  it('cuts each value to the field limit of 2000', () => {
    const [section] = fieldTable([['Stop reason', 'x'.repeat(5000)]]);
    expect(section?.fields?.[1]?.text).toHaveLength(2000);
  });
});

describe('preformattedBlock', () => {
  it('shows log lines character for character, in a rich_text_preformatted element', () => {
    const lines = 'line 1 *not bold* `tick` <!here>\nline 2 & https://evil.example';
    expect(preformattedBlock(lines)).toEqual({
      type: 'rich_text',
      elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: lines }] }],
    });
  });

  it('removes control characters and cuts to the limit', () => {
    const block = preformattedBlock(`\u001b[31m${'x'.repeat(50)}`, 20);
    expect(block.elements[0]).toEqual({
      type: 'rich_text_preformatted',
      elements: [{ type: 'text', text: `[31m${'x'.repeat(15)}…` }],
    });
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
  });
});

describe('cleanText', () => {
  it('keeps ordinary text, newlines and tabs', () => {
    expect(cleanText('Essential container\tin task\nexited')).toBe('Essential container\tin task\nexited');
  });
});
