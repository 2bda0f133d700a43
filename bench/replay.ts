import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './bundle.js';
import { progress, spawnChild } from './child.js';
import { benchTaskJson, RUNTIME_CONFIG } from './fixtures.js';

const GNU_TIME = '/usr/bin/time';
const FILES = 10;
/** Families repeat only every this many events: no 100 consecutive events make a digest. */
const FAMILIES = 500;

/** The I/O floor: the same files read line by line, parsed, and one JSON line written per event. */
const READ_PARSE_WRITE = `
import { createReadStream, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
const dir = process.argv[1];
for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
  const file = path.join(dir, name);
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    const event = JSON.parse(line);
    process.stdout.write(JSON.stringify({ file, status: 'notified', taskArn: event.detail.taskArn }) + '\\n');
  }
}
`;

export interface ReplayFigures {
  events: number;
  eventsPerS: number;
  peakRssMb: number;
  seconds: number;
  /** How peak RSS was read: GNU time's maximum resident set, or /proc VmHWM polled. */
  rssSource: string;
  floorEventsPerS: number;
}

/** Writes `events` STOPPED events into `.jsonl` files under `dir`; returns the directory. */
export function writeEventFiles(dir: string, events: number): string {
  const eventsDir = path.join(dir, 'events');
  mkdirSync(eventsDir, { recursive: true });
  const perFile = Math.ceil(events / FILES);
  for (let f = 0; f * perFile < events; f++) {
    const lines: string[] = [];
    for (let i = f * perFile; i < Math.min(events, (f + 1) * perFile); i++)
      lines.push(benchTaskJson(i, `job${i % FAMILIES}`, 4).event);
    writeFileSync(
      path.join(eventsDir, `events-${String(f).padStart(2, '0')}.jsonl`),
      `${lines.join('\n')}\n`,
    );
  }
  return eventsDir;
}

/** Runs a command with stdout counted (never held) and its peak RSS taken; returns lines, seconds, MB. */
async function countedRun(
  args: string[],
  rssFile: string,
): Promise<{ lines: number; seconds: number; peakRssMb: number; rssSource: string }> {
  let lines = 0;
  const onStdout = (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  };
  const withTime = existsSync(GNU_TIME);
  const start = performance.now();
  const { child, exited } = withTime
    ? spawnChild(GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args], { onStdout })
    : spawnChild(process.execPath, args, { onStdout });
  let hwmKb = 0;
  const poll = withTime
    ? undefined
    : setInterval(() => {
        const status = readStatus(child.pid);
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        if (kb > hwmKb) hwmKb = kb;
      }, 20);
  try {
    await exited;
  } finally {
    clearInterval(poll);
  }
  const seconds = (performance.now() - start) / 1000;
  const kb = withTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : hwmKb;
  return { lines, seconds, peakRssMb: kb / 1024, rssSource: withTime ? 'GNU time %M' : '/proc VmHWM' };
}

function readStatus(pid: number | undefined): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * `replay --dry-run --json` over `events` generated events in `.jsonl` files, as a child process
 * whose stdout is counted, not held: events a second over the whole run, and the peak RSS.
 */
export async function measureReplay(dir: string, events: number): Promise<ReplayFigures> {
  progress(`replay: writing ${events} events into ${FILES} .jsonl files`);
  const eventsDir = writeEventFiles(dir, events);
  const configFile = path.join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(RUNTIME_CONFIG));
  try {
    progress('replay: read, parse and write floor');
    const floor = await countedRun(
      ['--input-type=module', '-e', READ_PARSE_WRITE, eventsDir],
      path.join(dir, 'floor.rss'),
    );
    progress(`replay: ecs-task-notifier replay --dry-run --json over ${events} events`);
    const cli = path.join(REPO_ROOT, 'bin/ecs-task-notifier.js');
    const run = await countedRun(
      [cli, 'replay', '--dry-run', '--json', '--config', configFile, eventsDir],
      path.join(dir, 'replay.rss'),
    );
    if (run.lines !== events || floor.lines !== events)
      throw new Error(`replay printed ${run.lines} lines (floor ${floor.lines}), expected ${events}`);
    return {
      events,
      eventsPerS: events / run.seconds,
      peakRssMb: run.peakRssMb,
      seconds: run.seconds,
      rssSource: run.rssSource,
      floorEventsPerS: events / floor.seconds,
    };
  } finally {
    rmSync(eventsDir, { recursive: true, force: true });
  }
}
