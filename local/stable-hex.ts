import { createHash } from 'node:crypto';

/** Stable hex derived from a seed, so IDs are the same on every run and in every process. */
export function stableHex(seed: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${seed}#${i}`).digest('hex');
  return out.slice(0, length);
}
