import type { SlackRetry } from '../lambda/adapters/slack.js';
import type { Io } from './command.js';

/** The sender's `onRetry` for a command: one line on stderr before each wait, so a slow run says why. */
export function retryProgress(command: string, io: Pick<Io, 'err'>): (retry: SlackRetry) => void {
  return ({ attempt, maxAttempts, waitMs, reason }) =>
    io.err(
      `ecs-task-notifier ${command}: Slack: ${reason}; trying again in ${seconds(waitMs)} (attempt ${attempt} of ${maxAttempts})`,
    );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
