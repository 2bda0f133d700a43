/**
 * From the first time to the last (a digest's stops), when the events say: `07:00:04 → 11:43:16
 * UTC` (with the date where the day changed), and how long that is in a reader's units (`4h 43m`).
 */
export function timeSpan(times: readonly (Date | undefined)[]): { range: string; took: string } | undefined {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const time of times) {
    const at = time?.getTime();
    if (at === undefined) continue;
    from = Math.min(from, at);
    to = Math.max(to, at);
  }
  if (!Number.isFinite(from)) return undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  const end =
    iso(from).slice(0, 10) === iso(to).slice(0, 10)
      ? iso(to).slice(11, 19)
      : iso(to).slice(0, 19).replace('T', ' ');
  const took = humanSpan(to - from);
  return { range: `${iso(from).slice(11, 19)} → ${end} UTC`, took };
}

/** `4h 43m`, `2d 3h`, `5m 12s`, `54s`: the two largest units. */
export function humanSpan(ms: number): string {
  const s = Math.round(ms / 1000);
  const units: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const lead = units.findIndex(([n]) => n > 0);
  if (lead === -1) return '0s';
  return units
    .slice(lead, lead + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, u], i) =>
      i > 0 && (u === 'm' || u === 's') ? `${String(n).padStart(2, '0')}${u}` : `${n}${u}`,
    )
    .join(' ');
}
