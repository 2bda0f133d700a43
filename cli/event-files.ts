import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { NotifierError } from '../lambda/domain/errors.js';
import { topLevelArrayLength } from './json-array-size.js';
import { visible } from './visible-text.js';

/** One event read from a file, or why it could not be read; `index` only where a file holds many. */
export type FileEvent =
  | { file: string; index?: number; event: unknown }
  | { file: string; index?: number; error: string };

/** EventBridge events are at most 256 KB; a JSON Lines line over this is refused, not buffered. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** A `.json` file is parsed whole, so it is bounded; many events belong in JSON Lines (streamed). */
export const MAX_JSON_FILE_BYTES = 32 * 1024 * 1024;
/**
 * Events a `.json` array may hold: a task event is over 1 KB, so 32 MiB of real events are about
 * 25,000; far more values are not events, and each would cost a result.
 */
export const MAX_JSON_ARRAY_EVENTS = 100_000;

const BOM = 0xfeff;

/** Events come out in batches of about this many, so a large file costs few async steps. */
const BATCH = 100;

/**
 * Reads the events of a file, in batches: one event, a JSON array of events, JSON Lines, or an
 * SQS batch (`Records[].body`) as the Lambda receives it. JSON Lines files are streamed, never
 * held whole, and a line longer than {@link MAX_LINE_BYTES} is refused without being held. A
 * UTF-8 byte order mark is skipped. An empty file holds no events.
 */
export async function* readEventFile(file: string): AsyncGenerator<FileEvent[]> {
  const device = await deviceProblem(file);
  if (device) {
    yield [{ file, error: device }];
    return;
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') {
    yield* readJsonLines(file);
    return;
  }
  let text: string;
  try {
    text = await readBoundedText(file);
  } catch (error) {
    yield [
      {
        file,
        error: error instanceof TooLargeError ? error.message : `cannot read file: ${errorCode(error)}`,
      },
    ];
    return;
  }
  if (text.charCodeAt(0) === BOM) text = text.slice(1);
  if (!text.trim()) return;
  // Counted before it is parsed: millions of tiny values would cost far more memory than the text.
  const values = topLevelArrayLength(text, MAX_JSON_ARRAY_EVENTS + 1);
  if (values !== undefined && values > MAX_JSON_ARRAY_EVENTS) {
    yield [
      {
        file,
        error: `the array holds over ${MAX_JSON_ARRAY_EVENTS.toLocaleString('en-US')} values, ${TOO_MANY}`,
      },
    ];
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
    // The parser's snippet may hold newlines or escape sequences: one line, nothing a terminal acts on.
    yield [{ file, error: `not JSON: ${visible((error as Error).message)}` }];
    return;
  }
  yield* batchesOf(eventsOf(value, file));
}

/** A device never ends (`/dev/zero`) or is not ours to read: refused before any byte is read. */
async function deviceProblem(file: string): Promise<string | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (info?.isCharacterDevice() || info?.isBlockDevice())
    return 'this is a device, not a file of events: give files, directories or a pipe';
  return undefined;
}

/** Events in batches of {@link BATCH}, made as they are taken: a large array is never copied whole. */
function* batchesOf(events: Iterable<FileEvent>): Generator<FileEvent[]> {
  let batch: FileEvent[] = [];
  for (const event of events) {
    batch.push(event);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

class TooLargeError extends NotifierError {}

const TOO_LARGE = `save many events as JSON Lines (.jsonl, one event a line), which is read line by line`;
const TOO_MANY = `more than a .json file may hold (a task event is over 1 KB): ${TOO_LARGE}`;

/**
 * The whole file as text, when it is at most {@link MAX_JSON_FILE_BYTES}: a regular file's size
 * is checked first, a pipe's bytes are counted as they come and the read stops at the bound.
 */
async function readBoundedText(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > MAX_JSON_FILE_BYTES) {
      throw new TooLargeError(
        `the file is ${mebibytes(info.size)}, over the ${mebibytes(MAX_JSON_FILE_BYTES)} a .json file may hold: ${TOO_LARGE}`,
      );
    }
    if (info.isFile()) return await handle.readFile('utf8');
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > MAX_JSON_FILE_BYTES)
        throw new TooLargeError(
          `it holds over the ${mebibytes(MAX_JSON_FILE_BYTES)} a .json input may hold: ${TOO_LARGE}`,
        );
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

/** Saved API output given where events go, and the option that takes it. */
function savedOutput(value: unknown): string | undefined {
  const saved = value as Record<string, unknown> | null;
  if (!saved || typeof saved !== 'object' || saved['detail-type'] !== undefined) return undefined;
  if (Array.isArray(saved.tasks) || (saved.task !== null && typeof saved.task === 'object'))
    return 'this is DescribeTasks (or run-task/stop-task) output, not an event: give it with --describe-tasks FILE';
  if (Array.isArray(saved.services))
    return 'this is DescribeServices output, not an event: give it with --describe-services FILE';
  if (Array.isArray(saved.jobs))
    return 'this is Batch DescribeJobs output, not an event: give it with --describe-jobs FILE';
  if (typeof saved.jobId === 'string' && typeof saved.jobQueue === 'string')
    return "this is a Batch job as DescribeJobs describes it, without an event's envelope (detail-type, source): give it with --describe-jobs FILE, or replay its Batch Job State Change event";
  return undefined;
}

function* eventsOf(value: unknown, file: string): Generator<FileEvent> {
  const saved = savedOutput(value);
  if (saved) {
    yield { file, error: saved };
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

/**
 * Streams a JSON Lines file: one event a non-blank line; `index` counts events, and a message
 * names the line as an editor numbers it (blank lines included). A line over
 * {@link MAX_LINE_BYTES} is skipped as it streams past, and named.
 */
async function* readJsonLines(file: string): AsyncGenerator<FileEvent[]> {
  let index = 0;
  let line = 0;
  // The current line: its pieces so far, and its length (counted on past the bound, never held).
  let pieces: Buffer[] = [];
  let length = 0;
  let batch: FileEvent[] = [];
  const endLine = () => {
    line++;
    if (length > MAX_LINE_BYTES) {
      batch.push({
        file,
        index: index++,
        error: `line ${line} is over ${mebibytes(MAX_LINE_BYTES)} (an EventBridge event is at most 256 KB): skipped`,
      });
    } else {
      let text =
        pieces.length === 1 ? (pieces[0] as Buffer).toString('utf8') : Buffer.concat(pieces).toString('utf8');
      if (line === 1 && text.charCodeAt(0) === BOM) text = text.slice(1);
      if (text.trim()) {
        try {
          batch.push({ file, index, event: JSON.parse(text) });
        } catch (error) {
          batch.push({
            file,
            index,
            error: `line ${line} is not JSON: ${visible((error as Error).message)}`,
          });
        }
        index++;
      }
    }
    pieces = [];
    length = 0;
  };
  try {
    for await (const chunk of createReadStream(file, {
      highWaterMark: 256 * 1024,
    }) as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const newline = chunk.indexOf(10, start);
        const end = newline === -1 ? chunk.length : newline;
        length += end - start;
        if (length <= MAX_LINE_BYTES && end > start) pieces.push(chunk.subarray(start, end));
        else if (length > MAX_LINE_BYTES) pieces = [];
        if (newline === -1) break;
        endLine();
        start = newline + 1;
      }
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (length > 0) endLine();
  } catch (error) {
    batch.push({ file, index, error: `cannot read file: ${errorCode(error)}` });
  }
  if (batch.length > 0) yield batch;
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{'));
}

/** A file system error's code (`ENOENT`, `EACCES`…), or its name. */
export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).name ?? 'error';
}
