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

/**
 * What a claim found: the key is now ours (`claimed`), the message was sent (`done`), another
 * invocation holds it (`in-progress`), or it was sent but Slack's answer never came
 * (`unconfirmed`: the message may have arrived).
 */
export type Claim = 'claimed' | 'done' | 'in-progress' | 'unconfirmed';

/**
 * Which task stops have been notified, through Powertools idempotency records. A key is claimed
 * before sending, completed only after Slack accepted the message, marked unconfirmed when the
 * request may have reached Slack without an answer, and released when it surely did not, so a
 * retry can send it again.
 */
export interface SentLedger {
  claim(key: string, remainingMs: number): Promise<Claim>;
  complete(key: string): Promise<void>;
  markUnconfirmed(key: string): Promise<void>;
  release(key: string): Promise<void>;
}

const UNCONFIRMED = 'unconfirmed';

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
        if (record.getStatus() !== IdempotencyRecordStatus.COMPLETED) return 'in-progress';
        const outcome = (record.getResponse() as { outcome?: unknown } | undefined)?.outcome;
        return outcome === UNCONFIRMED ? 'unconfirmed' : 'done';
      }
    },
    complete: (key) => store.saveSuccess({ key }, { sentAt: new Date().toISOString() }),
    markUnconfirmed: (key) =>
      store.saveSuccess({ key }, { outcome: UNCONFIRMED, at: new Date().toISOString() }),
    release: (key) => store.deleteRecord({ key }),
  };
}

/** The idempotency key of one task state change: duplicates of it share task ARN and status. */
export function sentKey(taskArn: string, lastStatus: string): string {
  return `${taskArn}#${lastStatus}`;
}

/** The key of the one resend allowed after a send whose answer never came. */
export function resendKey(key: string): string {
  return `${key}#resend`;
}

/**
 * The ledger in memory, for `replay` and local runs (one process, one run): the same claim,
 * complete, mark and release protocol, without a store to configure.
 */
export function createMemorySentLedger(): SentLedger {
  // Plain collections of short digests (as Powertools hashes its keys), no object per task
  // stop: a replay of 100,000 stops keeps a small heap.
  const done = new Set<string>();
  const unconfirmed = new Set<string>();
  const claimedUntil = new Map<string, number>();
  const digest = (key: string) => createHash('md5').update(key).digest('base64');
  const settle = (into: Set<string>, fullKey: string) => {
    const key = digest(fullKey);
    claimedUntil.delete(key);
    into.add(key);
  };
  return {
    async claim(fullKey, remainingMs) {
      const key = digest(fullKey);
      if (done.has(key)) return 'done';
      if (unconfirmed.has(key)) return 'unconfirmed';
      if ((claimedUntil.get(key) ?? 0) > Date.now()) return 'in-progress';
      claimedUntil.set(key, Date.now() + Math.max(1000, remainingMs));
      return 'claimed';
    },
    async complete(fullKey) {
      settle(done, fullKey);
    },
    async markUnconfirmed(fullKey) {
      settle(unconfirmed, fullKey);
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
