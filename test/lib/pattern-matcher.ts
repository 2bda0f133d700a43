/**
 * EventBridge's matching, for the pattern forms our rules use and nothing more (the documented
 * semantics, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html): a
 * field matches when one of its values (an array in the event is its elements, at any depth) equals
 * a listed value or meets a listed condition; `exists: false` matches a missing field only, `exists:
 * true` a present one (null included); `prefix`, `suffix` and `wildcard` (`*` any characters) a
 * string; `anything-but` with a `prefix` a present value without it; `$or` one of its branches. A form it
 * does not know throws, so a test cannot pass on a guess. (`/work/shared/tools/event-ruler/match`,
 * AWS's own matcher, agreed with it on the events of `event-pattern-split.test.ts`.)
 */
export function patternMatches(pattern: Record<string, unknown>, event: unknown): boolean {
  return objectMatches(pattern, [event]);
}

function objectMatches(pattern: Record<string, unknown>, nodes: readonly unknown[]): boolean {
  return Object.entries(pattern).every(([key, condition]) => {
    if (key === '$or') {
      return (condition as Record<string, unknown>[]).some((branch) => objectMatches(branch, nodes));
    }
    const children = nodes.flatMap((node) => valuesAt(node, key));
    if (Array.isArray(condition)) return condition.some((c) => leafMatches(c, children));
    if (condition && typeof condition === 'object') {
      return objectMatches(condition as Record<string, unknown>, children);
    }
    throw new Error(`not a pattern form we use: ${key}: ${JSON.stringify(condition)}`);
  });
}

/** The values of `key` in `node`, arrays (of the node or of the value) flattened. */
function valuesAt(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((n) => valuesAt(n, key));
  if (node === null || typeof node !== 'object' || !(key in node)) return [];
  const value = (node as Record<string, unknown>)[key];
  return Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];
}

function leafMatches(condition: unknown, values: readonly unknown[]): boolean {
  if (condition === null || typeof condition !== 'object') return values.some((v) => v === condition);
  const text = JSON.stringify(condition);
  if (text === '{"exists":false}') return values.length === 0;
  if (text === '{"exists":true}') return values.length > 0;
  const strings = values.filter((v): v is string => typeof v === 'string');
  const only = (key: string) => {
    const value = (condition as Record<string, unknown>)[key];
    return typeof value === 'string' && text === JSON.stringify({ [key]: value }) ? value : undefined;
  };
  const prefix = only('prefix');
  if (prefix !== undefined) return strings.some((v) => v.startsWith(prefix));
  const suffix = only('suffix');
  if (suffix !== undefined) return strings.some((v) => v.endsWith(suffix));
  const wildcard = only('wildcard');
  if (wildcard !== undefined) {
    const pattern = new RegExp(
      `^${wildcard
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    );
    return strings.some((v) => pattern.test(v));
  }
  const butPrefix = (condition as { 'anything-but'?: { prefix?: unknown } })['anything-but']?.prefix;
  if (typeof butPrefix === 'string' && text === JSON.stringify({ 'anything-but': { prefix: butPrefix } })) {
    return values.some((v) => typeof v === 'string' && !v.startsWith(butPrefix));
  }
  throw new Error(`not a pattern form we use: ${text}`);
}
