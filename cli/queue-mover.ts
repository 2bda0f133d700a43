import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** What one move did: how many went over, and how many stay where they were (each named by why). */
export interface MoveResult {
  moved: number;
  left: { messageId: string; reason: string }[];
}

export interface MoveOptions {
  /** Told after each batch, so a long move shows progress. */
  onBatch?: (moved: number) => void;
  /** Seconds a received message stays hidden from others while it is sent. @default 120 */
  visibilitySeconds?: number;
}

/**
 * Moves every message of one queue to another, in batches of 10: received with a visibility
 * timeout, sent with the same body, and deleted only once the destination accepted it. What the
 * destination refused is left in the source, hidden until its visibility timeout ends, and named.
 * Stops when a receive comes back empty. The two queues may be in different accounts.
 */
export async function moveMessages(
  from: { client: SQSClient; queueUrl: string },
  to: { client: SQSClient; queueUrl: string },
  options: MoveOptions = {},
): Promise<MoveResult> {
  const result: MoveResult = { moved: 0, left: [] };
  for (;;) {
    const received = await from.client.send(
      new ReceiveMessageCommand({
        QueueUrl: from.queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: options.visibilitySeconds ?? 120,
        WaitTimeSeconds: 2,
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return result;
    const sent = await to.client.send(
      new SendMessageBatchCommand({
        QueueUrl: to.queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
      }),
    );
    const accepted = new Set((sent.Successful ?? []).map((s) => s.Id));
    for (const failed of sent.Failed ?? []) {
      const message = messages[Number(failed.Id)];
      result.left.push({
        messageId: message?.MessageId ?? `entry ${failed.Id}`,
        reason: failed.Code ?? 'refused',
      });
    }
    const done = messages.flatMap((m, i) =>
      accepted.has(String(i)) ? [{ Id: String(i), ReceiptHandle: m.ReceiptHandle }] : [],
    );
    if (done.length === 0) return result;
    await from.client.send(new DeleteMessageBatchCommand({ QueueUrl: from.queueUrl, Entries: done }));
    result.moved += done.length;
    options.onBatch?.(result.moved);
  }
}

/** About how many messages a queue holds (SQS's approximate count), for a dry run. */
export async function approximateCount(client: SQSClient, queueUrl: string): Promise<number> {
  const answer = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(answer.Attributes?.ApproximateNumberOfMessages ?? 0);
}
