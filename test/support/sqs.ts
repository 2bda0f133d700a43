import type { SQSEvent } from 'aws-lambda';

/** An SQS batch as the event source mapping delivers it, one record per body, each received `receives` times. */
export function sqsBatch(bodies: (string | object)[], receives = 1): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m-${i}-${Math.random().toString(16).slice(2)}`,
      receiptHandle: `r-${i}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: String(receives),
        SentTimestamp: '0',
        SenderId: 'events.amazonaws.com',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:ecs-task-notifier-buffer',
      awsRegion: 'eu-west-1',
    })),
  };
}

/** A Lambda context with the given time left. */
export function lambdaContext(remainingMs = 60_000) {
  const end = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => end - Date.now(), awsRequestId: 'test-request' };
}
