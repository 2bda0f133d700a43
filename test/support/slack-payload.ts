import { SLACK_LIMITS } from '../../lambda/domain/message/slack-text.js';
import type { Task } from '../../lambda/domain/task/task.js';

/** Text from an event as an attacker would write it, for `reportFrom('ec2-stopped-failed', HOSTILE_TEXT)`. */
export const HOSTILE_TEXT: Partial<Task> = {
  stoppedReason: '*bold* reason \u202eevil\u202c \u001b[31mred\u001b[0m https://evil.example @here',
  group: '<!channel>',
  startedBy: '_italic_ ~strike~ <@U024BE7LH>',
  containers: [
    {
      name: 'evil`name',
      exitCode: 2,
      lastStatus: 'STOPPED',
      reason: 'OutOfMemoryError: see <https://evil.example|the docs> &amp; @here',
    },
  ],
};

/** A text as a message carries it: a text object, a rich text run, or the top-level `text`. */
export interface PayloadText {
  /** Where it is, for failure messages: `attachments[0].blocks[2].fields[1]`. */
  path: string;
  kind: 'plain_text' | 'mrkdwn' | 'rich_text' | 'text';
  text: string;
  verbatim?: boolean;
  /** The limit Slack sets for this text; undefined where none applies. */
  max?: number;
}

type Json = Record<string, unknown>;

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function textObject(value: unknown, path: string, max: number): PayloadText[] {
  const object = (value ?? {}) as Json;
  if (typeof object.text !== 'string') return [];
  const kind = object.type === 'plain_text' ? 'plain_text' : 'mrkdwn';
  return [{ path, kind, text: object.text, verbatim: object.verbatim === true, max }];
}

function richTexts(elements: unknown, path: string): PayloadText[] {
  return list(elements).flatMap((e, i) => {
    const at = `${path}.elements[${i}]`;
    if (typeof e.text === 'string' && (e.type === 'text' || e.type === 'link'))
      return [{ path: at, kind: 'rich_text' as const, text: e.text }];
    return richTexts(e.elements, at);
  });
}

function blockTexts(blocks: unknown, path: string): PayloadText[] {
  return list(blocks).flatMap((block, i) => {
    const at = `${path}[${i}]`;
    switch (block.type) {
      case 'header':
        return textObject(block.text, `${at}.text`, SLACK_LIMITS.header);
      case 'section':
        return [
          ...textObject(block.text, `${at}.text`, SLACK_LIMITS.section),
          ...list(block.fields).flatMap((f, j) => textObject(f, `${at}.fields[${j}]`, SLACK_LIMITS.field)),
        ];
      case 'context':
        return list(block.elements).flatMap((e, j) =>
          textObject(e, `${at}.elements[${j}]`, SLACK_LIMITS.context),
        );
      case 'rich_text':
        return richTexts(block.elements, at);
      default:
        return [];
    }
  });
}

/** Every text in a message: `text`, top-level blocks, and each attachment's blocks. */
export function payloadTexts(message: unknown): PayloadText[] {
  const m = (message ?? {}) as Json;
  return [
    ...(typeof m.text === 'string'
      ? [{ path: 'text', kind: 'text' as const, text: m.text, max: SLACK_LIMITS.text }]
      : []),
    ...blockTexts(m.blocks, 'blocks'),
    ...list(m.attachments).flatMap((a, i) => blockTexts(a.blocks, `attachments[${i}].blocks`)),
  ];
}

/** Where a message breaks a limit Slack documents (lengths, counts, empty texts); empty if nowhere. */
export function limitProblems(message: unknown): string[] {
  const m = (message ?? {}) as Json;
  const problems: string[] = [];
  const groups = [list(m.blocks), ...list(m.attachments).map((a) => list(a.blocks))];
  for (const blocks of groups) {
    if (blocks.length > SLACK_LIMITS.blocks) problems.push(`${blocks.length} blocks`);
    for (const block of blocks) {
      if (list(block.fields).length > SLACK_LIMITS.fields)
        problems.push(`${list(block.fields).length} fields`);
      if (list(block.elements).length > SLACK_LIMITS.contextElements && block.type === 'context')
        problems.push(`${list(block.elements).length} context elements`);
    }
  }
  for (const t of payloadTexts(message)) {
    if (t.max !== undefined && t.text.length > t.max) problems.push(`${t.path}: ${t.text.length} > ${t.max}`);
    if (t.kind !== 'text' && t.text.trim() === '') problems.push(`${t.path}: empty`);
  }
  return problems;
}

/**
 * Our console links, the only `<…>` sequences a message may hold (hosts as `encodeURIComponent`
 * leaves them), labelled with our words or a task ID's letters, digits and dashes, which mrkdwn
 * cannot read as formatting.
 */
const CONSOLE_LINK =
  /<https:\/\/[\w.%!~*'()-]+\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)\/[^|<>\s]*\|[A-Za-z0-9 -]+>/g;
/** What Slack would read as a control sequence: `<`, `>`, or an `&` that starts no entity. */
const UNESCAPED = /[<>]|&(?!(amp|lt|gt);)/;
/** What Slack would link or mention in mrkdwn text: `@name`, `#name`, `scheme://`, `domain.tld`. */
const AUTO_PARSED = /[@#](?!\u2060)|:\/\/|\.(?=[\p{L}\p{N}])/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const UNWANTED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Where outside text could become formatting, a link or a mention, given that every outside string
 * carries `marker`: in a mrkdwn object (only our own words may be there, `verbatim`), as an
 * unescaped `<`, `>` or `&` in any text object or the `text`, as an auto-linked URL, domain or
 * `@mention` in the `text`, or as a control or bidi character anywhere. Empty if nowhere.
 */
export function formingProblems(message: unknown, marker: string): string[] {
  const problems: string[] = [];
  for (const t of payloadTexts(message)) {
    const bare = t.kind === 'mrkdwn' ? t.text.replace(CONSOLE_LINK, '') : t.text;
    if (UNWANTED.test(t.text)) problems.push(`${t.path}: control or bidi character`);
    if (t.kind === 'rich_text') continue;
    if (UNESCAPED.test(bare))
      problems.push(`${t.path}: unescaped control sequence in ${JSON.stringify(bare)}`);
    if (t.kind === 'mrkdwn' && t.text.includes(marker)) problems.push(`${t.path}: outside text in mrkdwn`);
    if (t.kind === 'mrkdwn' && !t.verbatim) problems.push(`${t.path}: mrkdwn without verbatim`);
    if (t.kind === 'text' && AUTO_PARSED.test(t.text))
      problems.push(`${t.path}: would be auto-linked: ${JSON.stringify(t.text)}`);
  }
  return problems;
}
