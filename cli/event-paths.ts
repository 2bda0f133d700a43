import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from './command.js';
import { errorCode } from './event-files.js';

/** A file to read events from, or a place that could not be read (`error` says why). */
export interface EventSource {
  file: string;
  error?: string;
}

const EVENT_FILE = /\.(json|jsonl|ndjson)$/i;
const EVENT_FILE_KINDS = '.json, .jsonl, .ndjson';

/**
 * Expands directories into the event files they hold: walked without recursion (a tree of any
 * depth or size), entries sorted by name, each real file and directory visited once (by device
 * and inode), so symlink loops and links to the same place cannot repeat or trap the walk.
 * Paths that do not exist are kept, to be reported as unreadable. A named directory holding no
 * event file is a usage error.
 */
export async function expandPaths(paths: readonly string[]): Promise<EventSource[]> {
  const sources: EventSource[] = [];
  const seen = new Set<string>();
  const firstVisit = (info: Stats) => {
    const key = `${info.dev}:${info.ino}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info)
      sources.push({ file: path }); // reported as unreadable when read
    else if (!info.isDirectory()) {
      if (firstVisit(info)) sources.push({ file: path });
    } else if (firstVisit(info) && (await walkDirectory(path, info, sources, firstVisit)) === 0) {
      throw new UsageError(`${path}: no event files (${EVENT_FILE_KINDS}) in this directory`);
    }
  }
  return sources;
}

/** Adds the event files under `root` to `sources`, depth first; returns how many it found. */
async function walkDirectory(
  root: string,
  rootInfo: Stats,
  sources: EventSource[],
  firstVisit: (info: Stats) => boolean,
): Promise<number> {
  let found = 0;
  // Paths still to visit, the next one last: a directory's entries go on in reverse name order.
  const pending: { path: string; info?: Stats }[] = [{ path: root, info: rootInfo }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { path } = next;
    let info = next.info;
    if (!info) {
      const eventFile = EVENT_FILE.test(basename(path));
      try {
        info = await stat(path);
      } catch (error) {
        // A broken link: worth a word only where its name says it held events.
        if (eventFile) {
          sources.push({ file: path, error: `cannot read: ${errorCode(error)}` });
          found++;
        }
        continue;
      }
      if (!info.isDirectory()) {
        // A socket or a FIFO would never end; only regular files hold events.
        if (!eventFile || !info.isFile()) continue;
        found++;
        if (firstVisit(info)) sources.push({ file: path });
        continue;
      }
      if (!firstVisit(info)) continue;
    }
    let entries: string[];
    try {
      entries = (await readdir(path, { withFileTypes: true }))
        .filter((e) => e.isDirectory() || e.isSymbolicLink() || (e.isFile() && EVENT_FILE.test(e.name)))
        .map((e) => e.name)
        .sort(byCodeUnits);
    } catch (error) {
      sources.push({ file: path, error: `cannot read the directory: ${errorCode(error)}` });
      found++;
      continue;
    }
    for (let i = entries.length - 1; i >= 0; i--) pending.push({ path: join(path, entries[i] as string) });
  }
  return found;
}

/** The same order in every locale. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
