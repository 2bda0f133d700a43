import { createHash } from 'node:crypto';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

/** An SQS message as the stand-in keeps it. */
interface Held {
  id: string;
  body: string;
  hiddenUntil: number;
}

/**
 * SQS over JSON 1.0 for a few queues held in memory (by the name at the end of `QueueUrl`):
 * ReceiveMessage (with visibility timeouts), SendMessageBatch, DeleteMessageBatch and
 * GetQueueAttributes. `refuse` names message bodies SendMessageBatch fails, as SQS reports a
 * failed entry.
 */
export async function startSqsQueues(
  queues: Record<string, string[]>,
  refuse: (body: string) => boolean = () => false,
): Promise<ScriptedServer & { bodies(queue: string): string[] }> {
  const held = new Map<string, Held[]>(
    Object.entries(queues).map(([name, bodies]) => [
      name,
      bodies.map((body, i) => ({ id: `${name}-${i}`, body, hiddenUntil: 0 })),
    ]),
  );
  let sent = 0;
  const queueOf = (url: unknown) => held.get(String(url).split('/').at(-1) ?? '') ?? [];
  const ok = (body: unknown) => ({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify(body),
  });
  const server = await startScriptedServer(({ body }) => {
    const input = JSON.parse(body || '{}');
    if (input.MaxNumberOfMessages !== undefined || input.WaitTimeSeconds !== undefined) {
      const now = Date.now();
      const visible = queueOf(input.QueueUrl)
        .filter((m) => m.hiddenUntil <= now)
        .slice(0, input.MaxNumberOfMessages ?? 1);
      for (const m of visible) m.hiddenUntil = now + 1000 * (input.VisibilityTimeout ?? 30);
      return ok({
        Messages: visible.map((m) => ({
          MessageId: m.id,
          ReceiptHandle: `rh-${m.id}`,
          Body: m.body,
          MD5OfBody: createHash('md5').update(m.body).digest('hex'),
        })),
      });
    }
    if (Array.isArray(input.Entries) && input.Entries[0]?.MessageBody !== undefined) {
      const queue = queueOf(input.QueueUrl);
      const entries = input.Entries as { Id: string; MessageBody: string }[];
      const taken = entries.filter((e) => !refuse(e.MessageBody));
      for (const e of taken) queue.push({ id: `sent-${sent++}`, body: e.MessageBody, hiddenUntil: 0 });
      return ok({
        Successful: taken.map((e) => ({
          Id: e.Id,
          MessageId: `sent-${e.Id}`,
          MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex'),
        })),
        Failed: entries
          .filter((e) => refuse(e.MessageBody))
          .map((e) => ({ Id: e.Id, Code: 'InvalidMessageContents', SenderFault: true })),
      });
    }
    if (Array.isArray(input.Entries)) {
      const queue = queueOf(input.QueueUrl);
      for (const e of input.Entries as { ReceiptHandle: string }[]) {
        const at = queue.findIndex((m) => `rh-${m.id}` === e.ReceiptHandle);
        if (at !== -1) queue.splice(at, 1);
      }
      return ok({ Successful: (input.Entries as { Id: string }[]).map(({ Id }) => ({ Id })), Failed: [] });
    }
    return ok({ Attributes: { ApproximateNumberOfMessages: String(queueOf(input.QueueUrl).length) } });
  });
  return Object.assign(server, { bodies: (queue: string) => (held.get(queue) ?? []).map((m) => m.body) });
}
