import {
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyRecordStatus,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

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

/** Builds a ledger on a Powertools persistence layer (DynamoDB in the Lambda, memory locally). */
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

/** A persistence layer in memory, for `replay` and local runs (one process, one run). */
export class InMemoryPersistenceLayer extends BasePersistenceLayer {
  readonly #records = new Map<string, IdempotencyRecord>();

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const record = this.#records.get(idempotencyKey);
    if (!record) throw new Error(`no record for ${idempotencyKey}`);
    return record;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.#records.get(record.idempotencyKey);
    const inProgressExpired =
      existing?.getStatus() === IdempotencyRecordStatus.INPROGRESS &&
      existing.inProgressExpiryTimestamp !== undefined &&
      existing.inProgressExpiryTimestamp < Date.now();
    if (existing && !existing.isExpired() && !inProgressExpired) {
      throw new IdempotencyItemAlreadyExistsError(`record exists for ${record.idempotencyKey}`, existing);
    }
    this.#records.set(record.idempotencyKey, record);
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.#records.set(record.idempotencyKey, record);
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.#records.delete(record.idempotencyKey);
  }
}

/** The DynamoDB-backed ledger for the Lambda; the client module loads only when a table is set. */
export async function createDynamoDbSentLedger(tableName: string): Promise<SentLedger> {
  const { DynamoDBPersistenceLayer } = await import('@aws-lambda-powertools/idempotency/dynamodb');
  return createSentLedger(new DynamoDBPersistenceLayer({ tableName }));
}
