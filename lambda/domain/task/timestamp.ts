const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads the timestamps ECS payloads carry: ISO-8601 with 0 to 9 fractional digits and
 * `Z` or an offset (events, CLI v2), or epoch seconds as a number (the wire, CLI v1).
 * Returns `undefined` for anything else.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? validDate(new Date(value * 1000)) : undefined;
  }
  if (value instanceof Date) return validDate(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = ISO.exec(text);
  if (!match) return undefined;
  // V8 reads any number of fractional digits and offsets; a time without a zone is UTC here.
  return validDate(new Date(match[4] ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`));
}

function validDate(date: Date): Date | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `1h 02m 03s`, `4m 05s`, `6s`, or `350ms` for sub-second runs. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}
