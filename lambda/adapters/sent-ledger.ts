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
  const state = new Map<string, { done: boolean; until: number }>();
  return {
    async claim(key, remainingMs) {
      const held = state.get(key);
      if (held?.done) return 'done';
      if (held && held.until > Date.now()) return 'in-progress';
      state.set(key, { done: false, until: Date.now() + Math.max(1000, remainingMs) });
      return 'claimed';
    },
    async complete(key) {
      state.set(key, { done: true, until: Number.POSITIVE_INFINITY });
    },
    async release(key) {
      state.delete(key);
    },
  };
}

/** The DynamoDB-backed ledger for the Lambda (the stack's idempotency table). */
export function createDynamoDbSentLedger(tableName: string): SentLedger {
  return createSentLedger(new DynamoDBPersistenceLayer({ tableName }));
}
