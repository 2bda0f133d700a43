import type * as z from 'zod/mini';
import { NotifierError } from '../errors.js';

/** A value failed its schema; the message names the key, e.g. `detail.taskArn is required`. */
export class ValidationError extends NotifierError {
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.field = field;
  }
}

/** `detail.containers[0].exitCode` from `['detail', 'containers', 0, 'exitCode']`. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  }
  return out || '(root)';
}

/** Parses `input` with `schema`, or throws a {@link ValidationError} for its first issue. */
export function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown, root: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new ValidationError(root || '(root)', 'is invalid');
  throw issueToError(issue, root, input);
}

/** Turns a zod issue into a one-line error naming the key and the problem. */
export function issueToError(issue: z.core.$ZodIssue, root: string, input: unknown): ValidationError {
  const field = formatPath(root, issue.path);
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (got === undefined) return new ValidationError(field, 'is required');
      return new ValidationError(field, `expected ${issue.expected}, got ${describe(got)}`);
    case 'invalid_value':
      return new ValidationError(
        field,
        `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(got)}`,
      );
    case 'unrecognized_keys':
      return new ValidationError(
        field,
        `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`,
      );
    case 'too_small':
      return new ValidationError(
        field,
        customOr(issue.message, `is too small (minimum ${String(issue.minimum)})`),
      );
    case 'too_big':
      return new ValidationError(
        field,
        customOr(issue.message, `is too big (maximum ${String(issue.maximum)})`),
      );
    default:
      // A key required with another one (a check across keys) has no value to show.
      if (got === undefined) return new ValidationError(field, customOr(issue.message, 'is invalid'));
      return new ValidationError(field, `${customOr(issue.message, 'is invalid')}, got ${describe(got)}`);
  }
}

function customOr(message: string, fallback: string): string {
  return message && message !== 'Invalid input' ? message : fallback;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A short, safe rendering of a bad value for an error message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    // A secret pasted where its secret's ARN belongs is never repeated: a token, a webhook URL.
    const secret = /^(xox[a-z]|xapp)-|^(xoxe\.xox[a-z]-)|hooks\.slack\.com\/services\//.exec(value.trim());
    if (secret) return secret[0].startsWith('x') ? `a Slack token (${secret[0]}…)` : 'a Slack webhook URL';
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}
