import type { MrkdwnElement, PlainTextElement, RichTextBlock, SectionBlock } from '@slack/types';

/** Slack's documented limits for what we send. */
export const SLACK_LIMITS = {
  header: 150,
  section: 3000,
  field: 2000,
  fields: 10,
  blocks: 50,
  context: 2000,
  contextElements: 10,
  text: 3000,
  /** Not documented for `rich_text`; we hold a preformatted block to a section's limit. */
  preformatted: 3000,
} as const;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Cuts `text` to at most `max` UTF-16 units with an ellipsis, never inside an entity such as
 * `&amp;` nor between the halves of a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidi marks, embeddings, overrides and isolates: they can make text read differently than it is. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Half a surrogate pair is not text; Slack may refuse the payload for it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with each half of a surrogate pair replaced by U+FFFD (`String#toWellFormed`, before ES2024). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * An outside string with what no reader should get removed: control characters other than newline
 * and tab (an ESC sequence, a NUL, `\r`), bidi controls, and half surrogate pairs (as `\ufffd`).
 */
export function cleanText(text: string): string {
  // Most text is clean: one scan to find out, before three replacements.
  if (!UNCLEAN.test(text)) return text;
  return text.replace(CONTROL, '').replace(BIDI, '').replace(LONE_SURROGATE, '\ufffd');
}

/** Anything {@link cleanText} would change: a control or bidi character, or any surrogate. */
const UNCLEAN = new RegExp(`[${CONTROL.source.slice(1, -1)}${BIDI.source.slice(1, -1)}\\ud800-\\udfff]`);

/** `&`, `<` and `>` as Slack's entities, so no `<!channel>` or `<https://x|y>` can be formed. */
export function escapeEntities(text: string): string {
  return ENTITY.test(text) ? text.replace(ENTITIES_ALL, (c) => ENTITIES[c] ?? c) : text;
}

const ENTITY = /[&<>]/;
const ENTITIES_ALL = /[&<>]/g;

/**
 * The way every outside string enters a message's blocks: cleaned, escaped (Slack reads `&`, `<`
 * and `>` in every text object), cut to `max`, in a `plain_text` object, which Slack shows as
 * written: no `*bold*`, no code span, no link and no mention, nor `:emoji:` codes.
 */
export function plainText(text: string, max: number): PlainTextElement {
  const clean = cleanText(text);
  // Slack refuses an empty text object.
  const shown = clean.trim() === '' ? '(empty)' : clean;
  return { type: 'plain_text', text: truncate(escapeEntities(shown), max), emoji: false };
}

/**
 * Our own mrkdwn (labels, emoji codes, console links): never pass outside text here. `verbatim`
 * keeps Slack from linking or parsing anything we did not mark up ourselves.
 */
export function ourMrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** A link in mrkdwn; the URL must already be percent-encoded and the label our own text. */
export function slackLink(url: string, label: string): string {
  return `<${url}|${label}>`;
}

const WORD_JOINER = '\u2060';

/**
 * Characters that look like mrkdwn's markers and mark nothing: `*` bold, `~` strike, a backquote
 * code, `_` italic. Slack's mrkdwn has no escape, so outside text gets these instead.
 */
const MARKER_LOOKALIKES: Record<string, string> = {
  '*': '\u2217',
  '~': '\u223c',
  '`': '\u02cb',
  _: '\u02cd',
};

/**
 * An outside string for a message's top-level `text` (the notification, and the line above the
 * attachment), which Slack reads as mrkdwn: cleaned and escaped; with an invisible word joiner
 * after each `@` and `#`, in `://` and after a `.` inside a word, so that neither `@here`, a
 * channel, a URL, a domain nor an e-mail address can become a mention or a link; and with `*`,
 * `~`, backquotes, and `_` where it could open or close italics (not inside a word such as
 * `customer_import`), as their lookalikes, so nothing can turn bold, italic, struck or code.
 */
export function notificationText(text: string): string {
  // Lookalikes first: `ˍ` is a letter, so a `.` before one then gets its word joiner too.
  return escapeEntities(cleanText(text))
    .replace(/[*~`]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (c) => MARKER_LOOKALIKES[c] ?? c)
    .replace(/[@#]|:(?=\/\/)|\.(?=[\p{L}\p{N}])/gu, (c) => `${c}${WORD_JOINER}`);
}

/** A row of a fields table: our label, and the value (outside text, or undefined to leave it out). */
export type FieldRow = readonly [label: string, value: string | undefined];

/**
 * Rows as the fields of a two-column table: our label in bold on the left, the value as plain text
 * on the right. Rows whose value is missing or blank are left out.
 */
export function tableFields(rows: readonly FieldRow[]): (MrkdwnElement | PlainTextElement)[] {
  return rows
    .filter(
      (row): row is readonly [string, string] => row[1] !== undefined && cleanText(row[1]).trim() !== '',
    )
    .flatMap(([label, value]) => [ourMrkdwn(`*${label}*`), plainText(value, SLACK_LIMITS.field)]);
}

/** {@link tableFields} in as many sections as Slack's ten fields a section need. */
export function fieldTable(rows: readonly FieldRow[]): SectionBlock[] {
  const fields = tableFields(rows);
  const sections: SectionBlock[] = [];
  for (let at = 0; at < fields.length; at += SLACK_LIMITS.fields) {
    sections.push({ type: 'section', fields: fields.slice(at, at + SLACK_LIMITS.fields) });
  }
  return sections;
}

/**
 * Outside text as a code block (a container's log lines, say): a `rich_text_preformatted`
 * element, whose text Slack shows character for character in monospace. Cleaned and cut to
 * `max`; not escaped, as rich text is structured, not mrkdwn.
 */
export function preformattedBlock(text: string, max: number = SLACK_LIMITS.preformatted): RichTextBlock {
  const clean = cleanText(text);
  return {
    type: 'rich_text',
    elements: [
      {
        type: 'rich_text_preformatted',
        elements: [{ type: 'text', text: truncate(clean.trim() === '' ? '(empty)' : clean, max) }],
      },
    ],
  };
}
