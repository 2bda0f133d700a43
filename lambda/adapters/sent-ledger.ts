import { createHash } from 'node:crypto';
import {
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyRecordStatus,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';

/** Records kept this long, so a duplicate delivered a day later is still recognised. */
export const KEEP_RECORDS_SECONDS = 48 * 3600;

export type Claim = 'claimed' | 'done' | 'in-progress';

/**
 * Which task stops have been notified, through Powertools idempotency records. A key is claimed
 * before sending, completed only after Slack accepted the message, and released if sending failed,
 * so a retry can send it again.
 */
export interface SentLedger {
  claim(key: string, remainingMs: number): Promise<Claim>;
  complete(key: string): Promise<void>;
  release(key: string): Promise<void>;
}

/** Builds a ledger on a Powertools persistence layer (the Lambda's DynamoDB table). */
export function createSentLedger(store: BasePersistenceLayer): SentLedger {
  store.configure({
    config: new IdempotencyConfig({ eventKeyJmesPath: 'key', expiresAfterSeconds: KEEP_RECORDS_SECONDS }),
    keyPrefix: 'ecs-task-notifier',
  });
  return {
    async claim(key, remainingMs) {
      try {
        await store.saveInProgress({ key }, Math.max(1000, remainingMs));
        return 'claimed';
      } catch (error) {
        if (!(error instanceof IdempotencyItemAlreadyExistsError)) throw error;
        const record = error.existingRecord ?? (await store.getRecord({ key }));
        return record.getStatus() === IdempotencyRecordStatus.COMPLETED ? 'done' : 'in-progress';
      }
    },
    complete: (key) => store.saveSuccess({ key }, { sentAt: new Date().toISOString() }),
    release: (key) => store.deleteRecord({ key }),
  };
}

/** The idempotency key of one task state change: duplicates of it share task ARN and status. */
export function sentKey(taskArn: string, lastStatus: string): string {
  return `${taskArn}#${lastStatus}`;
}

/**
 * The ledger in memory, for `replay` and local runs (one process, one run): the same claim,
 * complete and release protocol, without a store to configure.
 */
export function createMemorySentLedger(): SentLedger {
  // Two plain collections of short digests (as Powertools hashes its keys), no object per task
  // stop: a replay of 100,000 stops keeps a small heap.
  const done = new Set<string>();
  const claimedUntil = new Map<string, number>();
  const digest = (key: string) => createHash('md5').update(key).digest('base64');
  return {
    async claim(fullKey, remainingMs) {
      const key = digest(fullKey);
      if (done.has(key)) return 'done';
      if ((claimedUntil.get(key) ?? 0) > Date.now()) return 'in-progress';
      claimedUntil.set(key, Date.now() + Math.max(1000, remainingMs));
      return 'claimed';
    },
    async complete(fullKey) {
      const key = digest(fullKey);
      claimedUntil.delete(key);
      done.add(key);
    },
    async release(fullKey) {
      claimedUntil.delete(digest(fullKey));
    },
  };
}

/** The DynamoDB-backed ledger for the Lambda (the stack's idempotency table). */
export function createDynamoDbSentLedger(tableName: string): SentLedger {
  return createSentLedger(new DynamoDBPersistenceLayer({ tableName }));
}
