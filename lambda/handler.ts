import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createDynamoDbLiveLedger } from './adapters/live-ledger.js';
import { createLambdaLogger } from './adapters/logger.js';
import { createDynamoDbRepeatLedger } from './adapters/repeat-ledger.js';
import { createDynamoDbSentLedger, createMemorySentLedger } from './adapters/sent-ledger.js';
import { createHoldBack, type HoldBackFn } from './adapters/sqs.js';
import { awsReaders } from './aws-adapters.js';
import { SAFETY_MARGIN_MS } from './domain/delivery/pacing.js';
import { retryDelaySeconds } from './domain/delivery/retry.js';
import { NotifierError } from './domain/errors.js';
import { BUNDLED_CONFIG_FILE, readEnvironment } from './environment.js';
import { createNotifier, type Notifier } from './notifier.js';
import type { EventResult } from './pipeline/deliver.js';
import type { EventInput } from './pipeline/evaluate.js';
import { routeSenders } from './route-senders.js';

/** A record that did not end in a message or a skip; it goes back to the queue, then the DLQ. */
export class RecordNotDeliveredError extends NotifierError {}

export type NotifierHandler = (
  event: SQSEvent | EventBridgeEvent<string, unknown>,
  context?: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
) => Promise<SQSBatchResponse | { status: EventResult['status']; reason?: string }>;

export interface HandlerOptions {
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** The configuration shipped beside the handler, read when `NOTIFIER_CONFIG` is not set. */
  bundledConfig?: URL;
  logger?: Logger;
}

/**
 * A handler with its own notifier, built at its first invocation (the cold start) from the
 * environment and kept for the warm ones: AWS clients, senders and the ledger live as long as it.
 * Takes an SQS batch (each body an EventBridge event) and reports failed records as
 * `batchItemFailures`; or a bare EventBridge event (a direct or local invoke), which throws when it
 * was not delivered. A bad configuration fails the whole batch (retried) and names the key.
 */
export function createHandler(options: HandlerOptions = {}): NotifierHandler {
  const logger = options.logger ?? createLambdaLogger();
  let instance: { notifier: Notifier; holdBack?: HoldBackFn } | undefined;
  const coldStart = () => {
    const env = readEnvironment(options.env ?? process.env, options.bundledConfig);
    const notifier = createNotifier(env.config, {
      senderFor: routeSenders(env.destinations, { ratePerSecond: env.slackRatePerSecond }),
      ...awsReaders(env.config),
      // Without a table (local runs), duplicates are caught within this instance only.
      ledger: env.idempotencyTable
        ? createDynamoDbSentLedger(env.idempotencyTable)
        : createMemorySentLedger(),
      // Repeats of a service's event are counted in the same table (in memory without one).
      // So are app-mode routes' live messages: where each is, and what it counts.
      ...(env.idempotencyTable
        ? {
            repeats: createDynamoDbRepeatLedger(env.idempotencyTable),
            live: createDynamoDbLiveLedger(env.idempotencyTable),
          }
        : {}),
      logger,
    });
    return { notifier, ...(env.queueUrl ? { holdBack: createHoldBack(env.queueUrl) } : {}) };
  };

  return async (event, context) => {
    instance ??= coldStart();
    const { notifier, holdBack } = instance;
    const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000) - SAFETY_MARGIN_MS;
    if (!isSqsEvent(event)) {
      const [result] = await notifier.notify([{ event }], { deadline });
      if (!result || result.status === 'failed' || result.status === 'rejected') {
        throw new RecordNotDeliveredError(result?.reason ?? 'no result');
      }
      return { status: result.status, ...(result.reason ? { reason: result.reason } : {}) };
    }
    const results = await notifier.notify(
      event.Records.map((record) => parseBody(record.body)),
      { deadline },
    );
    const byMessageId = new Map(event.Records.map((record, i) => [record.messageId, results[i]]));
    if (holdBack) await holdBackFailures(event.Records, byMessageId, holdBack, logger);
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const result = byMessageId.get(record.messageId);
        if (!result || result.status === 'failed' || result.status === 'rejected') {
          throw new RecordNotDeliveredError(result?.reason ?? 'no result');
        }
      },
      new BatchProcessor(EventType.SQS),
      { throwOnFullBatchFailure: false },
    );
  };
}

/** The Lambda's entry point; its configuration is the `notifier-config.json` bundled beside it. */
export const handler: NotifierHandler = createHandler({
  bundledConfig: new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url),
});

/**
 * Gives each record that goes back to the queue its own wait before the next receive, growing with
 * its receives ({@link retryDelaySeconds}), so an outage of hours delivers late instead of filling
 * the dead-letter queue; one no retry can fix comes back at once, to reach the DLQ soon.
 */
async function holdBackFailures(
  records: readonly SQSRecord[],
  results: ReadonlyMap<string, EventResult | undefined>,
  holdBack: HoldBackFn,
  logger: Pick<Logger, 'warn'>,
): Promise<void> {
  const held = records.flatMap((record) => {
    const result = results.get(record.messageId);
    if (result && result.status !== 'failed' && result.status !== 'rejected') return [];
    const permanent = !result || result.status === 'rejected' || !result.retryable;
    const receives = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    const delaySeconds = retryDelaySeconds(receives, permanent);
    return [{ messageId: record.messageId, receiptHandle: record.receiptHandle, delaySeconds }];
  });
  if (held.length === 0) return;
  const { failed } = await holdBack(held);
  if (failed.length > 0)
    logger.warn('could not hold records back: they come back after the visibility timeout', { failed });
}

function isSqsEvent(event: unknown): event is SQSEvent {
  return Array.isArray((event as SQSEvent | undefined)?.Records);
}

function parseBody(body: string): EventInput {
  try {
    return { event: JSON.parse(body) };
  } catch {
    return { error: 'the SQS record body is not JSON' };
  }
}
