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

/**
 * Escapes text from events or AWS for Slack: `&`, `<` and `>` become entities, so `<!channel>`
 * or `<http://x|y>` in a stop reason can neither ping nor link.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

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

/** Escapes then truncates: the way every outside string enters a message. */
export function safeText(text: string, max: number): string {
  return truncate(escapeSlack(stripControl(text)), max);
}

/** Removes control characters other than newline and tab. */
function stripControl(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** A link in mrkdwn; the URL must already be percent-encoded (no `|` or `>`). */
export function slackLink(url: string, label: string): string {
  return `<${url}|${label}>`;
}
