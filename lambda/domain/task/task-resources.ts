import { truncate } from '../message/slack-text.js';

/** The registry host of an image reference: a first part with a dot or a port, or `localhost`. */
const REGISTRY = /^(?:[^/]*[.:][^/]*|localhost)\//;

/**
 * An image as a reader wants it: `repository:tag` without the registry host, and the first 12
 * hex digits of the digest that ran (`customer-import:2024-11-04 @sha256:0123456789ab`).
 */
export function formatImage(image: string | undefined, digest: string | undefined): string | undefined {
  const short = image ? shortDigests(image.replace(REGISTRY, '')) : undefined;
  const ran = digest ? shortDigests(digest) : undefined;
  if (!short) return ran;
  return ran && !short.includes(ran) ? `${truncate(short, 80)} @${ran}` : truncate(short, 100);
}

function shortDigests(text: string): string {
  return text.replace(/\b(sha256:[0-9a-f]{12})[0-9a-f]+/gi, '$1');
}

/** `1 vCPU · 2 GiB` from ECS's CPU units and MiB; values that are not numbers are shown as written. */
export function formatTaskSize(cpu: string | undefined, memory: string | undefined): string | undefined {
  const parts = [cpu ? formatCpu(cpu) : '', memory ? formatMemory(memory) : ''].filter(Boolean);
  return parts.length === 0 ? undefined : truncate(parts.join(' · '), 60);
}

function formatCpu(cpu: string): string {
  const units = Number(cpu);
  if (!/^\d+$/.test(cpu)) return cpu;
  if (units === 0) return '';
  return `${round(units / 1024)} vCPU`;
}

function formatMemory(memory: string): string {
  const mib = Number(memory);
  if (!/^\d+$/.test(memory)) return memory;
  if (mib === 0) return '';
  return mib < 1024 ? `${mib} MiB` : `${round(mib / 1024)} GiB`;
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
