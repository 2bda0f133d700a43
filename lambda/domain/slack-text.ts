/** Slack's documented limits for what we send. */
export const SLACK_LIMITS = {
  header: 150,
  section: 3000,
  field: 2000,
  fields: 10,
  blocks: 50,
  context: 2000,
  text: 3000,
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

/**
 * The way every outside string enters a message: `&`, `<` and `>` become entities (so `<!channel>`
 * or `<http://x|y>` in a stop reason can neither ping nor link), control characters other than
 * newline and tab are dropped, and the result is cut to `max`.
 */
export function safeText(text: string, max: number): string {
  const clean = UNSAFE.test(text) ? text.replace(UNSAFE_ALL, (c) => ENTITIES[c] ?? '') : text;
  return truncate(clean, max);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const UNSAFE = /[&<>\u0000-\u0008\u000b-\u001f\u007f]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** A link in mrkdwn; the URL must already be percent-encoded (no `|` or `>`). */
export function slackLink(url: string, label: string): string {
  return `<${url}|${label}>`;
}
