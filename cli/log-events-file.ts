import { existsSync } from 'node:fs';
import type { ReadLogEventsFn } from '../lambda/adapters/log-events.js';
import { UsageError } from './command.js';
import { readJsonOption } from './read-json.js';

/**
 * Answers GetLogEvents offline from saved `aws logs get-log-events` output (`{"events": […]}`,
 * the same in CLI v1 and v2), which does not name its stream. Each spec is `FILE`, answering for
 * the failed container of every task replayed, or `STREAM=FILE`, answering for that stream only
 * (the stream's name as the message links it, e.g. `ecs/import/<task ID>`); a path that exists as
 * a file is always a `FILE`. A stream no spec answers for is `not-run`: no tail, no warning.
 */
export async function loadLogEventsFiles(specs: readonly string[]): Promise<ReadLogEventsFn> {
  const byStream = new Map<string, string[]>();
  let fallback: string[] | undefined;
  for (const spec of specs) {
    const split = existsSync(spec) ? -1 : spec.lastIndexOf('=');
    const stream = split > 0 ? spec.slice(0, split) : undefined;
    const file = split > 0 ? spec.slice(split + 1) : spec;
    const messages = await readMessages(file);
    if (stream === undefined) {
      if (fallback)
        throw new UsageError(`--logs ${spec}: give one FILE for every task, and STREAM=FILE for others`);
      fallback = messages;
    } else byStream.set(stream, messages);
  }
  return async (stream, query) => {
    const messages = byStream.get(stream.stream) ?? fallback;
    if (!messages) return { kind: 'not-run' };
    return { kind: 'events', messages: messages.slice(-query.limit), more: messages.length > query.limit };
  };
}

async function readMessages(file: string): Promise<string[]> {
  const json = (await readJsonOption('--logs', file)) as { events?: unknown } | null;
  const events = json && typeof json === 'object' ? json.events : undefined;
  if (!Array.isArray(events))
    throw new UsageError(`--logs ${file}: expected 'aws logs get-log-events' output ({"events": [...]})`);
  return events.map((event, i) => {
    const message = (event as { message?: unknown } | null)?.message;
    if (typeof message !== 'string')
      throw new UsageError(`--logs ${file}: events[${i}].message is not a string`);
    return message;
  });
}
