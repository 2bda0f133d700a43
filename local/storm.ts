import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { DEMO_CONFIG } from './demo-config.js';
import { stableHex } from './stable-hex.js';
import { generateLocalTasks } from './tasks.js';

/** One task stop of the storm: its EventBridge event (JSON text) and its DescribeTasks entry. */
export interface StormStop {
  taskId: string;
  taskArn: string;
  source: string;
  family: string;
  failed: boolean;
  event: string;
  described: Record<string, unknown>;
  taskDefinition: Record<string, unknown>;
}

/** How the failed tasks of a storm failed: four causes, as ECS reports them. */
const CAUSES = [
  { exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
  { exitCode: 1 },
  { exitCode: 2, reason: 'Error: input file s3://bucket/part-0042 not found' },
  { stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull access denied' },
] as const;

const FAMILIES = ['extract', 'transform', 'load'] as const;
/** This family of the first source never fails. */
const ALWAYS_SUCCEEDS = 'load';

/**
 * `count` STOPPED events of the configuration's sources × 3 families in a shuffled order,
 * `failedShare` of them failed with one of four causes, one family (of the first source) all
 * succeeded. Task IDs look like ECS's (32 hex digits); the same arguments give the same storm.
 */
export function stormStops(
  count: number,
  failedShare = 0.03,
  series = 'storm',
  config: NotifierConfig = DEMO_CONFIG,
): StormStop[] {
  const templates = generateLocalTasks(config);
  const failing = new Set<number>();
  const target = Math.round(count * failedShare);
  // Every `step`th stop that may fail does (all source families but one may), until `target` did.
  const families = templates.length * FAMILIES.length;
  const step = Math.max(1, Math.floor((count * (families - 1)) / families / Math.max(1, target)));
  let eligible = 0;
  const stops: StormStop[] = [];
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length] as (typeof templates)[number];
    const family = FAMILIES[Math.floor(i / templates.length) % FAMILIES.length] as string;
    const sourceFamily = `${template.facts.family}-${family}`;
    const mayFail = !(i % templates.length === 0 && family === ALWAYS_SUCCEEDS);
    if (mayFail) eligible++;
    const failed = mayFail && failing.size < target && eligible % step === 0;
    if (failed) failing.add(i);
    const taskId = stableHex(`${series}/${i}`, 32);
    const rewrite = (json: string) =>
      JSON.parse(
        json.replaceAll(template.facts.taskId, taskId).replaceAll(template.facts.family, sourceFamily),
      );
    const event = rewrite(JSON.stringify(template.event)) as { detail: Record<string, unknown> };
    const described = rewrite(JSON.stringify(template.described)) as Record<string, unknown>;
    for (const detail of [event.detail, described])
      setOutcome(detail, failed ? CAUSES[failing.size % 4] : undefined);
    stops.push({
      taskId,
      taskArn: String(event.detail.taskArn),
      source: template.label,
      family: sourceFamily,
      failed,
      event: JSON.stringify(event),
      described,
      taskDefinition: rewrite(JSON.stringify(template.taskDefinition)) as Record<string, unknown>,
    });
  }
  return shuffle(stops);
}

function setOutcome(detail: Record<string, unknown>, cause: (typeof CAUSES)[number] | undefined): void {
  const containers = detail.containers as Record<string, unknown>[];
  const job = containers[0] as Record<string, unknown>;
  detail.stopCode = 'EssentialContainerExited';
  detail.stoppedReason = 'Essential container in task exited';
  job.exitCode = 0;
  delete job.reason;
  if (!cause) return;
  if ('stopCode' in cause) {
    detail.stopCode = cause.stopCode;
    detail.stoppedReason = cause.stoppedReason;
    job.exitCode = null;
    return;
  }
  job.exitCode = cause.exitCode;
  if ('reason' in cause) job.reason = cause.reason;
}

/** A fixed shuffle (a small LCG), so sources and families interleave the same way every run. */
function shuffle<T>(items: T[]): T[] {
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
