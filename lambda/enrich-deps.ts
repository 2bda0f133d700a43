import { createReadLogEvents } from './adapters/log-events.js';
import { createEcsDescribeTaskDefinition } from './adapters/task-definitions.js';
import type { NotifierConfig } from './domain/config.js';
import { TASK_STATE_CHANGE } from './domain/event-schema.js';
import type { DecisionLogger } from './pipeline/deliver.js';
import { createReportEnricher, type TaskReportEnricher } from './pipeline/enrich.js';

let enricher: TaskReportEnricher | undefined;

/**
 * The Lambda's enricher, built once per instance (its task definitions are kept with it): it reads
 * task definitions for log links, and log tails only when `logGroups` names some.
 */
export function lambdaEnricher(config: NotifierConfig, logger: DecisionLogger): TaskReportEnricher {
  enricher ??= createReportEnricher({
    config,
    describeTaskDefinition: createEcsDescribeTaskDefinition(),
    ...(config.logGroups.length > 0 ? { readLogEvents: createReadLogEvents() } : {}),
    logger,
  });
  return enricher;
}

/**
 * Starts reading the task definitions a batch names while DescribeTasks runs, so the two calls
 * overlap. Only task state changes whose status is notified; anything unreadable is left to the pipeline.
 */
export function prefetchTaskDefinitions(
  target: TaskReportEnricher,
  events: readonly unknown[],
  config: Pick<NotifierConfig, 'notifyOn'>,
): void {
  const wanted: { taskDefinitionArn: string; region: string }[] = [];
  for (const event of events) {
    const e = event as {
      'detail-type'?: unknown;
      detail?: { taskDefinitionArn?: unknown; lastStatus?: unknown };
    };
    const arn = e?.detail?.taskDefinitionArn;
    if (e?.['detail-type'] !== TASK_STATE_CHANGE || typeof arn !== 'string') continue;
    if (!config.notifyOn.includes(e.detail?.lastStatus as NotifierConfig['notifyOn'][number])) continue;
    const region = arn.split(':')[3];
    if (region && /:task-definition\/[^:]+:\d+$/.test(arn)) wanted.push({ taskDefinitionArn: arn, region });
  }
  target.prefetch(wanted);
}
