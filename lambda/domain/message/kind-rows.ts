import type { Source } from '../task/task.js';

/**
 * `batch-b · vpc-0a1b2c3d · FARGATE_SPOT · us-east-2`: where it ran, without what the source
 * label already says (the cluster of an unconfigured source's label).
 */
export function placeWords(
  source: Source,
  clusterName: string | undefined,
  ...more: (string | undefined)[]
): string | undefined {
  const named = clusterName !== undefined && source.label.split(/[\s(),·]+/).includes(clusterName);
  const parts = [named ? undefined : clusterName, source.vpcId, ...more];
  const shown = [...new Set(parts.filter((p): p is string => Boolean(p?.trim())))];
  return shown.length === 0 ? undefined : shown.join(' · ');
}

/** `2019-11-19 19:55:38 UTC`. */
export function dateTime(date: Date | undefined): string | undefined {
  return date ? `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC` : undefined;
}

/** `07:12 UTC`, with the date when it is not `reference`'s day. */
export function shortTime(date: Date, reference?: Date): string {
  const iso = date.toISOString();
  const day =
    reference && reference.toISOString().slice(0, 10) === iso.slice(0, 10) ? '' : `${iso.slice(0, 10)} `;
  return `${day}${iso.slice(11, 16)} UTC`;
}
