import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface AlarmTopicProps {
  /**
   * An address subscribed to the topic (AWS sends it a confirmation mail first).
   * @default - no subscription: subscribe to the topic yourself
   */
  readonly email?: string;
}

/**
 * The SNS topic a stack's alarms tell, when none is given: TLS only, published to by this
 * account's CloudWatch alarms in this region (and its own principals), with an optional e-mail.
 */
export function createAlarmTopic(scope: Construct, id: string, props: AlarmTopicProps = {}): Topic {
  const stack = Stack.of(scope);
  const topic = new Topic(scope, id, { displayName: 'ecs-task-notifier alarms', enforceSSL: true });
  // A topic policy replaces SNS's default one, so CloudWatch's own permission to publish is written out.
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AlarmsOfThisAccount',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm:*' }) },
      },
    }),
  );
  if (props.email) {
    topic.addSubscription(new EmailSubscription(props.email));
    Validations.of(topic).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'An e-mail that cannot be delivered tells of an alarm state CloudWatch still shows, and the next change sends again; a dead-letter queue would need an alarm of its own.',
    });
  }
  Validations.of(topic).acknowledge({
    id: 'AwsSolutions-SNS2',
    reason:
      'Alarm notifications carry alarm names and states only; CloudWatch cannot publish to a topic encrypted with the AWS managed key, and a key of our own would cost a dollar a month per stack for no secret.',
  });
  return topic;
}
