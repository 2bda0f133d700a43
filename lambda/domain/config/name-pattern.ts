/**
 * The one pattern form the configuration uses for names (route families, log groups): a pattern
 * ending in `*` matches every name starting with what comes before it; any other matches itself only.
 */
export function nameMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}
