import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describeError } from './aws.js';

/** One failed record to hold back: its receipt, and how long until SQS hands it out again. */
export interface HeldRecord {
  messageId: string;
  receiptHandle: string;
  delaySeconds: number;
}

/** Sets when failed records come back; reports what it could not set, never throws. */
export type HoldBackFn = (records: readonly HeldRecord[]) => Promise<{ failed: string[] }>;

/** ChangeMessageVisibilityBatch takes at most 10 entries a call. */
const BATCH = 10;

/**
 * Holds failed records back in their queue (`ChangeMessageVisibilityBatch`), so each comes back
 * after its own wait instead of the queue's visibility timeout. A record whose wait could not be
 * set comes back after the visibility timeout, as it would have anyway: named in `failed`.
 */
export function createHoldBack(
  queueUrl: string,
  // The client's own endpoint (its region's, or AWS_ENDPOINT_URL_SQS), not the URL's host.
  client = new SQSClient({ maxAttempts: 3, useQueueUrlAsEndpoint: false }),
): HoldBackFn {
  return async (records) => {
    const failed: string[] = [];
    for (let at = 0; at < records.length; at += BATCH) {
      const chunk = records.slice(at, at + BATCH);
      try {
        const answer = await client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((r, i) => ({
              Id: String(i),
              ReceiptHandle: r.receiptHandle,
              VisibilityTimeout: r.delaySeconds,
            })),
          }),
        );
        for (const f of answer.Failed ?? []) failed.push(chunk[Number(f.Id)]?.messageId ?? `entry ${f.Id}`);
      } catch (error) {
        failed.push(...chunk.map((r) => `${r.messageId} (${describeError(error)})`));
      }
    }
    return { failed };
  };
}
