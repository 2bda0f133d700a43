import { createSlackSender, type SlackSenderOptions } from '../lambda/adapters/slack.js';
import type { SlackMessage } from '../lambda/domain/message/slack-message.js';
import type { Task } from '../lambda/domain/task/task.js';
import { ENV, EnvironmentError } from '../lambda/environment.js';
import { type MetadataOptions, readTaskFromMetadata } from './metadata.js';
import { buildTaskTextMessage } from './task-text-message.js';

export interface NotifyFromTaskOptions extends MetadataOptions {
  /** The message; escaped for Slack (no pings, no links) and cut to its limits. */
  text: string;
  /** @default the `SLACK_WEBHOOK_URL` environment variable */
  webhookUrl?: string;
  /** Passed to the sender (attempts, timeouts). */
  sender?: SlackSenderOptions;
}

/**
 * For code running inside an ECS task: reads the task's identity from its metadata endpoint
 * and posts `text` to Slack headed with it (cluster + VPC, family:revision), through the same
 * sender as the Lambda. Throws when the webhook URL is missing, the endpoint is unreachable,
 * or Slack refuses (a `SlackDeliveryError` that never contains the URL).
 */
export async function notifyFromTask(
  options: NotifyFromTaskOptions,
): Promise<{ task: Task; message: SlackMessage }> {
  const env = options.env ?? process.env;
  const url = options.webhookUrl || env[ENV.webhookUrl];
  if (!url) throw new EnvironmentError(`${ENV.webhookUrl} is not set: pass webhookUrl or set the variable`);
  const task = await readTaskFromMetadata(options);
  const message = buildTaskTextMessage(task, options.text);
  await createSlackSender(url, { maxAttempts: 3, ...options.sender }).send(message);
  return { task, message };
}
