import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** One event read from a file, or why it could not be read; `index` only where a file holds many. */
export type FileEvent =
  | { file: string; index?: number; event: unknown }
  | { file: string; index?: number; error: string };

const EVENT_FILE = /\.(json|jsonl|ndjson)$/i;

/** Expands directories (recursively, sorted) into the event files they hold. */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      files.push(path); // reported as unreadable when read
    } else if (info.isDirectory()) {
      const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      const inner = entries
        .filter((e) => e.isDirectory() || EVENT_FILE.test(e.name))
        .map((e) => join(path, e.name));
      files.push(...(await expandPaths(inner)));
    } else {
      files.push(path);
    }
  }
  return files;
}

/** Events come out in batches of about this many, so a large file costs few async steps. */
const BATCH = 100;

/**
 * Reads the events of a file, in batches: one event, a JSON array of events, JSON Lines, or an
 * SQS batch (`Records[].body`) as the Lambda receives it. JSON Lines files are streamed in
 * chunks, never held whole.
 */
export async function* readEventFile(file: string): AsyncGenerator<FileEvent[]> {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') {
    yield* readJsonLines(file);
    return;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    yield [{ file, error: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? 'error'}` }];
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (looksLikeJsonLines(text)) {
      yield* readJsonLines(file);
      return;
    }
    yield [{ file, error: `not JSON: ${(error as Error).message.split('\n')[0]}` }];
    return;
  }
  yield [...eventsOf(value, file)];
}

function* eventsOf(value: unknown, file: string): Generator<FileEvent> {
  const saved = value as { tasks?: unknown; task?: unknown; 'detail-type'?: unknown } | null;
  if (
    saved &&
    saved['detail-type'] === undefined &&
    (Array.isArray(saved.tasks) || typeof saved.task === 'object')
  ) {
    yield {
      file,
      error:
        'this is DescribeTasks (or run-task/stop-task) output, not an event: give it with --describe-tasks FILE',
    };
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, event] of value.entries()) yield { file, index, event };
    return;
  }
  const records = (value as { Records?: unknown } | null)?.Records;
  if (Array.isArray(records)) {
    for (const [index, record] of records.entries()) {
      const body = (record as { body?: unknown } | null)?.body;
      if (typeof body !== 'string') {
        yield { file, index, error: `Records[${index}].body is required (an SQS record's body)` };
        continue;
      }
      try {
        yield { file, index, event: JSON.parse(body) };
      } catch {
        yield { file, index, error: `Records[${index}].body is not JSON` };
      }
    }
    return;
  }
  yield { file, event: value };
}

async function* readJsonLines(file: string): AsyncGenerator<FileEvent[]> {
  let index = 0;
  let rest = '';
  let batch: FileEvent[] = [];
  const take = (line: string) => {
    if (!line.trim()) return;
    try {
      batch.push({ file, index, event: JSON.parse(line) });
    } catch {
      batch.push({ file, index, error: `line ${index + 1} is not JSON` });
    }
    index++;
  };
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) take(line);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    take(rest);
  } catch (error) {
    batch.push({
      file,
      index,
      error: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    });
  }
  if (batch.length > 0) yield batch;
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{'));
}
