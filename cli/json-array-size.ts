/** JSON's own structural characters, and the quote that starts a string. */
const STRUCTURE = /["[\]{},]/g;

/**
 * How many values the JSON array in `text` holds at its top level, counted without parsing it,
 * stopping at `limit`: `undefined` when the text is not an array, or has too few commas to hold
 * `limit` values. Strings are skipped whole, so a
 * comma or bracket inside one counts for nothing. Malformed text gives some count; the parser
 * that runs after says what is wrong with it.
 */
export function topLevelArrayLength(text: string, limit: number): number | undefined {
  // Every value after the first follows a comma: few commas, and no scan is needed.
  if (commasUpTo(text, limit) < limit - 1) return undefined;
  const start = text.search(/\S/);
  if (start === -1 || text[start] !== '[') return undefined;
  if (/^\[\s*\]/.test(text.slice(start, start + 64))) return 0;
  let depth = 0;
  let count = 1;
  STRUCTURE.lastIndex = start;
  for (let match = STRUCTURE.exec(text); match; match = STRUCTURE.exec(text)) {
    switch (match[0]) {
      case '"':
        STRUCTURE.lastIndex = endOfString(text, match.index);
        break;
      case '[':
      case '{':
        depth++;
        break;
      case ']':
      case '}':
        depth--;
        if (depth === 0) return count;
        break;
      default:
        if (depth === 1 && ++count >= limit) return count;
    }
  }
  return count;
}

/** Where the string opened at `quote` ends (after its closing quote), escapes considered. */
function endOfString(text: string, quote: number): number {
  for (let at = text.indexOf('"', quote + 1); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return at + 1;
  }
  return text.length;
}

/** The commas in `text`, counted up to `limit`. */
function commasUpTo(text: string, limit: number): number {
  let count = 0;
  for (let at = text.indexOf(','); at !== -1 && count < limit; at = text.indexOf(',', at + 1)) count++;
  return count;
}
