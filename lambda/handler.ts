import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createSubnetVpcLookup } from './adapters/ec2.js';
import { createEcsDescribeTasks } from './adapters/ecs.js';
import { createLambdaLogger } from './adapters/logger.js';
import { createDynamoDbSentLedger, createMemorySentLedger, type SentLedger } from './adapters/sent-ledger.js';
import { SAFETY_MARGIN_MS } from './domain/pacing.js';
import { routesFor } from './domain/routes.js';
import { needsVpcLookup, type SubnetVpcLookup } from './domain/source.js';
import type { TaskReport } from './domain/task.js';
import { lambdaEnricher, prefetchTaskDefinitions } from './enrich-deps.js';
import { BUNDLED_CONFIG_FILE, type LambdaEnvironment, readEnvironment } from './environment.js';
import { deliverEvaluations, type EventResult } from './pipeline/deliver.js';
import { ENRICH_BUDGET_MS } from './pipeline/enrich.js';
import { type EventInput, evaluateEvents, evaluateInputs } from './pipeline/evaluate.js';
import { routeTargets } from './route-targets.js';

const logger = createLambdaLogger();
const describeTasks = createEcsDescribeTasks();
let environment: LambdaEnvironment | undefined;
let ledger: SentLedger | undefined;
let lookupVpc: SubnetVpcLookup | undefined;

/** A record that did not end in a message or a skip; it goes back to the queue, then the DLQ. */
export class RecordNotDeliveredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordNotDeliveredError';
  }
}

/**
 * Takes an SQS batch (each body an EventBridge event) and reports failed records as
 * `batchItemFailures`; or a bare EventBridge event (a direct or local invoke), which throws when
 * it was not delivered. Configuration or the secret failing fails the whole batch (retried).
 */
export async function handler(
  event: SQSEvent | EventBridgeEvent<string, unknown>,
  context?: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
): Promise<SQSBatchResponse | { status: EventResult['status']; reason?: string }> {
  environment ??= readEnvironment(process.env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url));
  const env = environment;
  const routes = await routeTargets(env, logger);
  // Without a table (local runs), duplicates are caught within this process only.
  ledger ??= env.idempotencyTable ? createDynamoDbSentLedger(env.idempotencyTable) : createMemorySentLedger();
  const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000) - SAFETY_MARGIN_MS;
  const enrich = lambdaEnricher(env.config, logger);
  const deliver = {
    enrich,
    enrichBudgetMs: ENRICH_BUDGET_MS,
    routes,
    routeOf: (report: TaskReport) => routesFor(report, env.config),
    ledger,
    deadline,
    logger,
  };
  if (needsVpcLookup(env.config)) lookupVpc ??= createSubnetVpcLookup();
  const deps = { config: env.config, describeTasks, ...(lookupVpc ? { lookupVpc } : {}) };

  if (!isSqsEvent(event)) {
    prefetchTaskDefinitions(enrich, [event], env.config);
    const [result] = await deliverEvaluations(await evaluateEvents([event], deps), deliver);
    if (!result || result.status === 'failed' || result.status === 'rejected') {
      throw new RecordNotDeliveredError(result?.reason ?? 'no result');
    }
    return { status: result.status, ...(result.reason ? { reason: result.reason } : {}) };
  }

  const inputs = event.Records.map((record) => parseBody(record.body));
  prefetchTaskDefinitions(
    enrich,
    inputs.map((input) => ('event' in input ? input.event : undefined)),
    env.config,
  );
  const evaluations = await evaluateInputs(inputs, deps);
  const results = await deliverEvaluations(evaluations, deliver);
  const byMessageId = new Map(event.Records.map((record, i) => [record.messageId, results[i]]));
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
