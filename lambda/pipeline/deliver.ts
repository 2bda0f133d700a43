import type { Logger } from '@aws-lambda-powertools/logger';
import { SlackDeliveryError, type SlackSender } from '../adapters/slack.js';
import { buildPlainTextMessage, type SlackMessage } from '../domain/slack-message.js';
import type { Task, TaskReport } from '../domain/task.js';
import type { Evaluation } from './evaluate.js';

/** How one event ended: sent, skipped with a reason, rejected with the field named, or failed. */
export interface EventResult {
  status: 'notified' | 'skipped' | 'rejected' | 'failed';
  reason?: string;
  task?: Task;
  report?: TaskReport;
  /** The exact payload sent, or that would be sent in a dry run. */
  message?: SlackMessage;
  /** Failed, but worth retrying later (the record goes back to the queue). */
  retryable?: boolean;
}

export type DecisionLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface DeliverOptions {
  /** Omitted: nothing is sent (dry run); ready events count as notified. */
  sender?: SlackSender;
  /** Epoch milliseconds after which no send starts or waits. */
  deadline?: number;
  logger?: DecisionLogger;
}

/** Sends each ready message in order, falling back once to plain text on `invalid_payload`. */
export async function deliverEvaluations(evaluations: readonly Evaluation[], options: DeliverOptions): Promise<EventResult[]> {
  const results: EventResult[] = [];
  for (const evaluation of evaluations) {
    const result = await deliverOne(evaluation, options);
    logDecision(result, options.logger);
    results.push(result);
  }
  return results;
}

async function deliverOne(evaluation: Evaluation, options: DeliverOptions): Promise<EventResult> {
  if (evaluation.status !== 'ready') return evaluation;
  const { report, message } = evaluation;
  const base = { task: report.task, report, message };
  if (!options.sender) return { status: 'notified', ...base };
  try {
    const sent = await sendWithFallback(options.sender, message, report, options.deadline);
    return { status: 'notified', ...base, message: sent };
  } catch (error) {
    if (!(error instanceof SlackDeliveryError)) throw error;
    return { status: 'failed', reason: error.message, retryable: !error.permanent, ...base };
  }
}

async function sendWithFallback(
  sender: SlackSender,
  message: SlackMessage,
  report: TaskReport,
  deadline: number | undefined,
): Promise<SlackMessage> {
  const options = deadline === undefined ? {} : { deadline };
  try {
    await sender.send(message, options);
    return message;
  } catch (error) {
    // invalid_payload may be our blocks, not the webhook: try the same facts as plain text once.
    if (!(error instanceof SlackDeliveryError) || error.code !== 'invalid_payload') throw error;
    const plain = buildPlainTextMessage(report);
    await sender.send(plain, options);
    return plain;
  }
}

/** One structured line per decision, keyed for search; never the webhook URL. */
export function logDecision(result: EventResult, logger: DecisionLogger | undefined): void {
  if (!logger) return;
  const task = result.report?.task ?? result.task;
  const keys = {
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(task
      ? { taskArn: task.taskArn, family: task.family, revision: task.revision, lastStatus: task.lastStatus }
      : {}),
    ...(result.report
      ? { source: result.report.source.label, outcome: result.report.outcome, crossCheck: result.report.crossCheck.status }
      : {}),
  };
  if (result.status === 'failed') logger.error('task event not delivered', keys);
  else if (result.status === 'rejected') logger.warn('task event rejected', keys);
  else logger.info(result.status === 'notified' ? 'task event notified' : 'task event skipped', keys);
}
