import { describeError } from '../../lambda/adapters/aws.js';
import { NotifierError } from '../../lambda/domain/errors.js';
import { type Command, type Io, parseCommandArgs, UsageError } from '../command.js';

const USAGE = `Usage: ecs-task-notifier redrive --from QUEUE_URL --to QUEUE_URL [options]

Moves every message of a dead-letter queue back to the notifier's event queue, in batches of 10,
each deleted only once the destination took it: for a forwarder's dead-letter queue, which is in
another account (SQS's own start-message-move-task moves only within one account). The
notifier's own dead-letter queue can use start-message-move-task (docs/deploy.md).

  npx ecs-task-notifier redrive --from <ForwardDeadLetterQueueUrl> --from-profile partner \\
    --to <EventQueueUrl>

Options:
  --from QUEUE_URL        the queue to empty (the forwarder stack's ForwardDeadLetterQueueUrl)
  --to QUEUE_URL          where the messages go (the notifier stack's EventQueueUrl)
  --from-profile NAME     the AWS profile for --from (default: the default credential chain)
  --to-profile NAME       the AWS profile for --to (default: the default credential chain)
  --dry-run               say about how many messages would move, move none
  -h, --help              show this help

Each queue's region is read from its URL. Exit status: 0 all moved, 1 some were left (named),
2 usage error.`;

export const redriveCommand: Command = {
  name: 'redrive',
  usage: USAGE,
  run: (argv, io) => runRedrive(argv, io),
};

/** `https://sqs.eu-west-1.amazonaws.com/123456789012/name` → its region, or `undefined` for another host. */
export function regionOfQueueUrl(url: string): string | undefined {
  return /^https?:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(url)?.[1];
}

export async function runRedrive(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'from-profile': { type: 'string' },
      'to-profile': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  if (!values.from || !values.to) throw new UsageError('give both --from QUEUE_URL and --to QUEUE_URL');
  for (const [option, url] of [
    ['--from', values.from],
    ['--to', values.to],
  ] as const) {
    if (!/^https?:\/\/[^\s/]+\/\d{12}\/[\w-]{1,80}$/.test(url))
      throw new UsageError(
        `${option} expects a queue URL like https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`,
      );
  }
  if (values.from === values.to) throw new UsageError('--from and --to name the same queue');
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const { fromIni } = await import('@aws-sdk/credential-providers');
  const { approximateCount, moveMessages } = await import('../queue-mover.js');
  const clientFor = (url: string, profile: string | undefined) => {
    const region = regionOfQueueUrl(url) ?? process.env.AWS_REGION;
    return new SQSClient({
      ...(region ? { region } : {}),
      ...(profile ? { credentials: fromIni({ profile }) } : {}),
      useQueueUrlAsEndpoint: false,
    });
  };
  const from = { client: clientFor(values.from, values['from-profile']), queueUrl: values.from };
  const to = { client: clientFor(values.to, values['to-profile']), queueUrl: values.to };
  try {
    if (values['dry-run']) {
      const count = await approximateCount(from.client, from.queueUrl);
      io.out(`would move about ${count} message${count === 1 ? '' : 's'} (dry run: none moved)`);
      return 0;
    }
    let movedSoFar = 0;
    const result = await moveMessages(from, to, {
      onBatch: (moved) => {
        movedSoFar = moved;
        io.err(`redrive: ${moved} moved so far`);
      },
    }).catch((error: unknown) => {
      // What went over stays over; say how far it got and why it stopped.
      throw new NotifierError(`stopped after moving ${movedSoFar}: ${describeError(error)}`, {
        cause: error,
      });
    });
    io.out(`moved ${result.moved} message${result.moved === 1 ? '' : 's'}; ${result.left.length} left`);
    for (const left of result.left) io.err(`left in --from: ${left.messageId} (${left.reason})`);
    return result.left.length === 0 ? 0 : 1;
  } finally {
    from.client.destroy();
    to.client.destroy();
  }
}
