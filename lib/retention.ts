import { Duration } from 'aws-cdk-lib';

/**
 * How long the event queue keeps an event: SQS's default. Shorter than {@link DEAD_LETTER_RETENTION},
 * since SQS counts a dead letter's age from when it first arrived, not from when it moved
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html).
 */
export const EVENT_QUEUE_RETENTION = Duration.days(4);

/** How long every dead-letter queue keeps an event, counted from its first arrival: SQS's longest. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * Receives of one event before it moves to the dead-letter queue. The handler holds each failed
 * record back for a wait that doubles from 1 minute to 2 hours (`retryDelaySeconds`), so 20
 * receives retry a failing event for about 26 hours: a Slack or Secrets Manager outage that long
 * delivers late, not never. The retries must end well inside {@link EVENT_QUEUE_RETENTION}, or
 * events would expire in the queue instead of reaching the DLQ: the construct checks it.
 */
export const DEFAULT_MAX_RECEIVE_COUNT = 20;
