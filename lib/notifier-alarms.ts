import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface NotifierAlarmsProps {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly function: IFunction;
  /** Age of the oldest queued event that raises the queue-age alarm. */
  readonly queueAgeThreshold: Duration;
  /** The SNS topic told when an alarm fires and when it clears. */
  readonly topic: ITopic;
}

/** The alarms that say an event was kept instead of delivered, or is waiting too long. */
export class NotifierAlarms extends Construct {
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: NotifierAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const atLeastOne = (id: string, alarmDescription: string, metric: IMetric) =>
      new Alarm(this, id, {
        alarmDescription,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    const visible = (queue: IQueue) =>
      queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' });
    this.alarms = [
      atLeastOne(
        'DeadLetterMessages',
        'Task events wait in the DLQ: the Lambda gave up on them, or EventBridge could not put them on the queue. Read them, fix, then redrive.',
        visible(props.deadLetterQueue),
      ),
      atLeastOne(
        'FunctionErrors',
        'The notifier Lambda failed whole batches (configuration, secret, crash or timeout).',
        props.function.metricErrors({ period, statistic: 'Sum' }),
      ),
      new Alarm(this, 'QueueAge', {
        alarmDescription: `Task events have waited over ${props.queueAgeThreshold.toHumanString()} for the Lambda.`,
        metric: props.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        threshold: props.queueAgeThreshold.toSeconds(),
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    const action = new SnsAction(props.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
