import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';

/** One event read from a file, or why it could not be read. */
export type FileEvent =
  | { file: string; index: number; event: unknown }
  | { file: string; index: number; error: string };

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

/**
 * Reads the events of a file: one event, a JSON array of events, JSON Lines, or an SQS batch
 * (`Records[].body`) as the Lambda receives it. JSON Lines files are streamed, never held whole.
 */
export async function* readEventFile(file: string): AsyncGenerator<FileEvent> {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') {
    yield* readJsonLines(file);
    return;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    yield { file, index: 0, error: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
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
    yield { file, index: 0, error: `not JSON: ${(error as Error).message.split('\n')[0]}` };
    return;
  }
  yield* eventsOf(value, file);
}

function* eventsOf(value: unknown, file: string): Generator<FileEvent> {
  if (Array.isArray(value)) {
    for (const [index, event] of value.entries()) yield { file, index, event };
    return;
  }
  const saved = value as { tasks?: unknown; task?: unknown; 'detail-type'?: unknown } | null;
  if (
    saved &&
    saved['detail-type'] === undefined &&
    (Array.isArray(saved.tasks) || typeof saved.task === 'object')
  ) {
    yield {
      file,
      index: 0,
      error:
        'this is DescribeTasks (or run-task/stop-task) output, not an event: give it with --describe-tasks FILE',
    };
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
  yield { file, index: 0, event: value };
}

async function* readJsonLines(file: string): AsyncGenerator<FileEvent> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let index = 0;
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      try {
        yield { file, index, event: JSON.parse(line) };
      } catch {
        yield { file, index, error: `line ${index + 1} is not JSON` };
      }
      index++;
    }
  } catch (error) {
    yield { file, index, error: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
  }
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{'));
}
