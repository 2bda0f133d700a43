/** A received Slack payload flattened into what a reader sees, for the HTML page and the demo. */
export interface MessageView {
  color?: string;
  parts: ViewPart[];
}

export type ViewPart =
  | { kind: 'header'; text: string }
  | { kind: 'fields'; items: string[] }
  | { kind: 'text'; mrkdwn: string }
  | { kind: 'context'; items: string[] }
  | { kind: 'divider' };

type Json = Record<string, unknown>;

/** Reads `text`, top-level `blocks` and each attachment's `color` and `blocks`. */
export function viewMessage(payload: unknown): MessageView {
  const message = (payload ?? {}) as Json;
  const attachments = Array.isArray(message.attachments) ? (message.attachments as Json[]) : [];
  const parts = [...blockParts(message.blocks), ...attachments.flatMap((a) => blockParts(a.blocks))];
  if (parts.length === 0 && typeof message.text === 'string')
    parts.push({ kind: 'text', mrkdwn: message.text });
  const color = attachments.find((a) => typeof a.color === 'string')?.color as string | undefined;
  return color && /^#?[0-9a-fA-F]{3,8}$/.test(color)
    ? { color: color.startsWith('#') ? color : `#${color}`, parts }
    : { parts };
}

function blockParts(blocks: unknown): ViewPart[] {
  if (!Array.isArray(blocks)) return [];
  return (blocks as Json[]).flatMap((block): ViewPart[] => {
    switch (block.type) {
      case 'header':
        return [{ kind: 'header', text: textOf(block.text) }];
      case 'section': {
        const out: ViewPart[] = [];
        if (block.text) out.push({ kind: 'text', mrkdwn: textOf(block.text) });
        if (Array.isArray(block.fields)) out.push({ kind: 'fields', items: block.fields.map(textOf) });
        return out;
      }
      case 'context':
        return [{ kind: 'context', items: Array.isArray(block.elements) ? block.elements.map(textOf) : [] }];
      case 'divider':
        return [{ kind: 'divider' }];
      default:
        return [];
    }
  });
}

function textOf(value: unknown): string {
  const text = (value as Json | undefined)?.text;
  return typeof text === 'string' ? text : '';
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
    (_w, target: string, label?: string) => label ?? target,
  );
  return emoji(decodeEntities(linked.replace(/\*([^*\n]+)\*/g, '$1')));
}

/** A message in readable lines, for a terminal. */
export function renderMessageText(payload: unknown, indent = '  '): string {
  const lines: string[] = [];
  for (const part of viewMessage(payload).parts) {
    if (part.kind === 'header') lines.push(emoji(decodeEntities(part.text)));
    else if (part.kind === 'text') lines.push(...mrkdwnToPlain(part.mrkdwn).split('\n'));
    else if (part.kind === 'fields')
      lines.push(...part.items.map((f) => mrkdwnToPlain(f).replace('\n', ': ')));
    else if (part.kind === 'context') lines.push(...part.items.map(mrkdwnToPlain));
  }
  return lines.map((line) => `${indent}${line}`).join('\n');
}
