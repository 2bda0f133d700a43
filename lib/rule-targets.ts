import type { Duration } from 'aws-cdk-lib';
import type { IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import { type IRole, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/** How long and how often EventBridge retries a target before the event goes to its dead-letter queue. */
export interface RuleRetry {
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/**
 * A rule target for a queue, failures to `deadLetterQueue`. Unlike `aws-events-targets`' targets it
 * adds no queue policy statement per rule: {@link allowRulesToSend} adds one for all the rules, since
 * a queue policy holds 20 statements and 10 conditions at most and the rules are split by size.
 */
export function queueTarget(queue: IQueue, deadLetterQueue: IQueue, retry: RuleRetry): IRuleTarget {
  return {
    bind: () => ({
      arn: queue.queueArn,
      targetResource: queue,
      deadLetterConfig: { arn: deadLetterQueue.queueArn },
      retryPolicy: {
        maximumRetryAttempts: retry.retryAttempts,
        maximumEventAgeInSeconds: retry.maxEventAge.toSeconds(),
      },
    }),
  };
}

/** A rule target for another account's or region's event bus, through `role`, failures to `deadLetterQueue`. */
export function eventBusTarget(busArn: string, role: IRole, deadLetterQueue: IQueue): IRuleTarget {
  return {
    bind: () => ({ arn: busArn, role, deadLetterConfig: { arn: deadLetterQueue.queueArn } }),
  };
}

/** One queue policy statement letting EventBridge send these rules' events (and nothing else) to each queue. */
export function allowRulesToSend(rules: readonly Rule[], ...queues: IQueue[]): void {
  if (rules.length === 0) return;
  for (const queue of queues) {
    queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'TaskEventRules',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rules.map((rule) => rule.ruleArn) } },
      }),
    );
  }
}
