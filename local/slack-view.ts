import { cleanText } from '../lambda/domain/message/slack-text.js';

/** A text object as received: `plain_text` is shown as written, `mrkdwn` is formatted. */
export interface ViewText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  /** mrkdwn only: when true Slack links nothing it was not told to. */
  verbatim?: boolean;
  /** plain_text only: whether `:emoji:` codes become emoji (Slack's default: yes). */
  emoji?: boolean;
}

/** A run of rich text: literal text with a style, or a link. */
export interface RichRun {
  text: string;
  style: { bold?: boolean; italic?: boolean; strike?: boolean; code?: boolean };
  url?: string;
}

/** One element of a `rich_text` block. */
export type RichItem =
  | { kind: 'section' | 'preformatted' | 'quote'; runs: RichRun[] }
  | { kind: 'list'; ordered: boolean; items: RichRun[][] };

export type ViewPart =
  | { kind: 'header'; text: ViewText }
  | { kind: 'fields'; items: ViewText[] }
  | { kind: 'text'; text: ViewText }
  | { kind: 'context'; items: ViewText[] }
  | { kind: 'rich'; items: RichItem[] }
  | { kind: 'divider' };

/** A received Slack payload flattened into what a reader sees, for the HTML page and the demo. */
export interface MessageView {
  /** The top-level `text` when Slack shows it: only when there are no top-level blocks. */
  text?: string;
  /** Top-level blocks. */
  blocks: ViewPart[];
  /** Each attachment's blocks, one after the other. */
  attachment: ViewPart[];
  color?: string;
}

type Json = Record<string, unknown>;

/** Reads `text`, top-level `blocks` and each attachment's `color` and `blocks`. */
export function viewMessage(payload: unknown): MessageView {
  const message = (payload ?? {}) as Json;
  const attachments = Array.isArray(message.attachments) ? (message.attachments as Json[]) : [];
  const blocks = blockParts(message.blocks);
  const attachment = attachments.flatMap((a) => blockParts(a.blocks));
  const view: MessageView = { blocks, attachment };
  if (blocks.length === 0 && typeof message.text === 'string') view.text = message.text;
  const color = attachments.find((a) => typeof a.color === 'string')?.color as string | undefined;
  if (color && /^#?[0-9a-fA-F]{3,8}$/.test(color)) view.color = color.startsWith('#') ? color : `#${color}`;
  return view;
}

/** Every part of a view in the order Slack shows them; the top-level text as a mrkdwn part. */
export function viewParts(view: MessageView): ViewPart[] {
  const text: ViewPart[] = view.text ? [{ kind: 'text', text: { type: 'mrkdwn', text: view.text } }] : [];
  return [...text, ...view.blocks, ...view.attachment];
}

function blockParts(blocks: unknown): ViewPart[] {
  if (!Array.isArray(blocks)) return [];
  return (blocks as Json[]).flatMap((block): ViewPart[] => {
    switch (block.type) {
      case 'header':
        return [{ kind: 'header', text: textObject(block.text) }];
      case 'section': {
        const out: ViewPart[] = [];
        if (block.text) out.push({ kind: 'text', text: textObject(block.text) });
        if (Array.isArray(block.fields)) out.push({ kind: 'fields', items: block.fields.map(textObject) });
        return out;
      }
      case 'context':
        return [{ kind: 'context', items: arrayOf(block.elements).map(textObject) }];
      case 'rich_text':
        return [{ kind: 'rich', items: arrayOf(block.elements).flatMap(richItem) }];
      case 'divider':
        return [{ kind: 'divider' }];
      default:
        return [];
    }
  });
}

function arrayOf(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function textObject(value: unknown): ViewText {
  const object = (value ?? {}) as Json;
  const text = typeof object.text === 'string' ? object.text : '';
  if (object.type === 'plain_text') return { type: 'plain_text', text, emoji: object.emoji !== false };
  return { type: 'mrkdwn', text, verbatim: object.verbatim === true };
}

function richItem(element: Json): RichItem[] {
  switch (element.type) {
    case 'rich_text_section':
      return [{ kind: 'section', runs: richRuns(element.elements) }];
    case 'rich_text_preformatted':
      return [{ kind: 'preformatted', runs: richRuns(element.elements) }];
    case 'rich_text_quote':
      return [{ kind: 'quote', runs: richRuns(element.elements) }];
    case 'rich_text_list':
      return [
        {
          kind: 'list',
          ordered: element.style === 'ordered',
          items: arrayOf(element.elements).map((item) => richRuns(item.elements)),
        },
      ];
    default:
      return [];
  }
}

function richRuns(elements: unknown): RichRun[] {
  return arrayOf(elements).flatMap((e): RichRun[] => {
    const style = (e.style ?? {}) as RichRun['style'];
    if (e.type === 'text' && typeof e.text === 'string') return [{ text: e.text, style }];
    if (e.type === 'link' && typeof e.url === 'string')
      return [{ text: typeof e.text === 'string' ? e.text : e.url, style, url: e.url }];
    if (e.type === 'emoji' && typeof e.name === 'string') return [{ text: emoji(`:${e.name}:`), style }];
    return [];
  });
}

/** Slack's three entities back to characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  x: '❌',
  octagonal_sign: '🛑',
  hourglass_flowing_sand: '⏳',
  warning: '⚠️',
  grey_question: '❔',
};

export function emoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

/** mrkdwn as plain text: links show their label, entities decoded, `*bold*` markers dropped. */
export function mrkdwnToPlain(text: string): string {
  const linked = text.replace(
    /<([^<>|\n]*)(?:\|([^<>\n]*))?>/g,
    (_w, target: string, label?: string) => label ?? mentionName(target) ?? target,
  );
  return emoji(decodeEntities(linked.replace(/\*([^*\n]+)\*/g, '$1')));
}

/** How Slack shows a mention's target (`@U024BE7LH`, `@S0614TZR7`, `@here`); undefined for a link. */
export function mentionName(target: string): string | undefined {
  const special = /^!(here|channel|everyone)$/.exec(target);
  if (special) return `@${special[1]}`;
  const group = /^!subteam\^([A-Z0-9]+)$/.exec(target);
  if (group) return `@${group[1]}`;
  return target.startsWith('@') ? target : undefined;
}

/** What a text object shows, as plain text. */
export function shownText(text: ViewText): string {
  if (text.type === 'mrkdwn') return mrkdwnToPlain(text.text);
  const decoded = decodeEntities(text.text);
  return text.emoji === false ? decoded : emoji(decoded);
}

function richLines(item: RichItem): string[] {
  const text = (runs: RichRun[]) => runs.map((r) => r.text).join('');
  switch (item.kind) {
    case 'section':
      return text(item.runs).split('\n');
    case 'preformatted':
      return text(item.runs)
        .split('\n')
        .map((line) => `│ ${line}`);
    case 'quote':
      return text(item.runs)
        .split('\n')
        .map((line) => `> ${line}`);
    case 'list':
      return item.items.map((runs, i) => `${item.ordered ? `${i + 1}.` : '•'} ${text(runs)}`);
  }
}

/** Emoji-only context elements (ours: `:warning:`) lead the element after them on its line. */
const EMOJI_ONLY = /^(\s*:[a-z0-9_+-]+:)+\s*$/;

function contextLines(items: ViewText[]): string[] {
  const lines: string[] = [];
  let lead = '';
  for (const item of items) {
    if (item.type === 'mrkdwn' && EMOJI_ONLY.test(item.text)) lead += `${shownText(item).trim()} `;
    else {
      lines.push(...`${lead}${shownText(item)}`.split('\n'));
      lead = '';
    }
  }
  if (lead) lines.push(lead.trim());
  return lines;
}

/** Fields two to a row, as Slack lays them out; the left column as wide as its widest line. */
function fieldLines(items: ViewText[], width: number): string[] {
  const lines: string[] = [];
  for (let at = 0; at < items.length; at += 2) {
    const left = shownText(items[at] as ViewText).split('\n');
    const right = items[at + 1] ? shownText(items[at + 1] as ViewText).split('\n') : [];
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      lines.push(`${(left[i] ?? '').padEnd(width)}  ${right[i] ?? ''}`.trimEnd());
    }
  }
  return lines;
}

function partLines(part: ViewPart, width: number): string[] {
  switch (part.kind) {
    case 'header':
      return [shownText(part.text)];
    case 'text':
      return shownText(part.text).split('\n');
    case 'fields':
      return fieldLines(part.items, width);
    case 'context':
      return contextLines(part.items);
    case 'rich':
      return part.items.flatMap(richLines);
    case 'divider':
      return ['───'];
  }
}

/** A message in readable lines, for a terminal; control characters in the payload are dropped. */
export function renderMessageText(payload: unknown, indent = '  '): string {
  const parts = viewParts(viewMessage(payload));
  const width = Math.min(
    30,
    Math.max(
      0,
      ...parts
        .flatMap((p) =>
          p.kind === 'fields'
            ? p.items.filter((_, i) => i % 2 === 0).flatMap((f) => shownText(f).split('\n'))
            : [],
        )
        .map((line) => line.length),
    ),
  );
  const lines = parts.flatMap((part) => partLines(part, width));
  return lines.map((line) => `${indent}${cleanText(line)}`).join('\n');
}
