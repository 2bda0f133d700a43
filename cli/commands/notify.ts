import { notifyFromTask } from '../../in-task/notify.js';
import { taskSourceLabel } from '../../in-task/task-text-message.js';
import { formatTaskDefinition } from '../../lambda/domain/task/arn.js';
import { ENV } from '../../lambda/environment.js';
import { type Command, type Io, parseCommandArgs, UsageError } from '../command.js';
import { retryProgress } from '../retry-progress.js';
import { checkUrlOption } from '../route-options.js';

const USAGE = `Usage: ecs-task-notifier notify --text TEXT [--webhook-url URL]

From inside an ECS task: posts TEXT to Slack, headed with the task's identity (cluster, VPC,
family:revision) read from its metadata endpoint, through the notifier's own sender.

Options:
  --text TEXT          the message (escaped: it can neither ping nor link)
  --webhook-url URL    Slack Incoming Webhook (default: $SLACK_WEBHOOK_URL; prefer the variable,
                       since command lines are visible to other processes)
  -h, --help           show this help

Exit status: 0 sent, 1 not sent, 2 usage error.`;

export const notifyCommand: Command = {
  name: 'notify',
  usage: USAGE,
  run: (argv, io) => runNotify(argv, io),
};

export async function runNotify(
  argv: string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { text: { type: 'string' }, 'webhook-url': { type: 'string' } },
  });
  if (!values.text?.trim()) throw new UsageError('--text is required and must not be empty');
  const webhookUrl = values['webhook-url'] ?? env[ENV.webhookUrl];
  if (!webhookUrl) throw new UsageError(`no webhook URL: set ${ENV.webhookUrl} or pass --webhook-url URL`);
  checkUrlOption(values['webhook-url'] ? '--webhook-url' : ENV.webhookUrl, webhookUrl);
  const { task } = await notifyFromTask({
    text: values.text,
    webhookUrl,
    env,
    sender: { onRetry: retryProgress('notify', io) },
  });
  io.out(`sent: ${formatTaskDefinition(task.family, task.revision)} from ${taskSourceLabel(task)}`);
  return 0;
}
