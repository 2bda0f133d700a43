/** C0 and C1 control characters, DEL, and the marks and overrides that reorder bidirectional text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` safe to print on a terminal, on one line: each control character or bidi override is
 * written as a visible escape (`\n`, `\x1b`, `\u202e`), so a file name or a snippet of a file can
 * neither retitle the terminal, clear the screen, break the line nor reorder it.
 */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
  });
}

/**
 * A JSON text with what `JSON.stringify` leaves raw but a terminal acts on (DEL, the C1 controls
 * such as the one-byte CSI U+009B, bidi overrides, line separators) written as `\uXXXX` escapes:
 * the same JSON value, safe to print.
 */
export function visibleJson(json: string): string {
  return json.replace(INVISIBLE, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/**
 * Slack tokens (`xoxb-…`, `xapp-…`), URLs (scheme, credentials, host, the rest), and Slack's hosts
 * written without a scheme (`hooks.slack.com/services/…`).
 */
const SECRETS =
  /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+|\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/@]*@)?([^\s/?#]*)(\S*?)(?=[:;,.)\]]*(?:\s|$))|\b((?:[\w-]+\.)*slack\.com)\/\S*/gi;

/**
 * `text` without what could be a secret: a URL keeps its scheme and host, never its credentials,
 * path or query (a webhook's path is its secret); a Slack token keeps only its prefix.
 */
export function redactSecrets(text: string): string {
  return text.replace(
    SECRETS,
    (_match, token?: string, scheme?: string, host?: string, rest?: string, slackHost?: string) => {
      if (token) return `${token}-…`;
      if (slackHost) return `${slackHost}/…`;
      return rest ? `${scheme}${host}/…` : `${scheme}${host}`;
    },
  );
}

/** What a command may print of text it did not write: no secret, nothing a terminal acts on. */
export function shown(text: string): string {
  return visible(redactSecrets(text));
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}
