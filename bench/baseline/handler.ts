// The baseline: a plain port of the original in-task approach in one file. DescribeTasks the
// stopped task, then post a line to the webhook with fetch. No validation, digest, pacing,
// idempotency or retries: what the notifier is measured against.
import { DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';

const ecs = new ECSClient({});
const webhookUrl = process.env.SLACK_WEBHOOK_URL ?? '';

interface TaskEvent {
  detail: { clusterArn: string; taskArn: string; taskDefinitionArn: string; lastStatus: string };
}

export async function handler(event: { Records?: { body: string }[] } | TaskEvent): Promise<void> {
  const events = 'Records' in event && event.Records ? event.Records.map((r) => JSON.parse(r.body)) : [event];
  for (const { detail } of events as TaskEvent[]) {
    const answer = await ecs.send(
      new DescribeTasksCommand({ cluster: detail.clusterArn, tasks: [detail.taskArn] }),
    );
    const task = answer.tasks?.[0];
    const definition = (task?.taskDefinitionArn ?? detail.taskDefinitionArn).split('/').pop();
    const exits = (task?.containers ?? []).map((c) => `${c.name} exit ${c.exitCode ?? '?'}`).join(', ');
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text: `${definition} ${task?.lastStatus ?? detail.lastStatus} on ${detail.clusterArn.split('/').pop()}: ${exits} (${task?.stoppedReason ?? ''})`,
      }),
    });
    if (!response.ok) throw new Error(`Slack answered ${response.status}`);
  }
}
