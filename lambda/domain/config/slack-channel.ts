/** A Slack conversation ID: C… (a channel, public or private), G… (an older private one), D… (a DM). */
export const CHANNEL_ID = /^[CGD][A-Z0-9]{2,20}$/;

/**
 * What is wrong with a channel ID, or `undefined` when it is one. A channel's name will not do:
 * `chat.update` and thread replies need the ID, and a name changes.
 */
export function channelIdProblem(channel: string): string | undefined {
  if (CHANNEL_ID.test(channel)) return undefined;
  if (/^#|^[a-z0-9._-]+$/.test(channel))
    return 'expected a channel ID like "C0123456789", not its name (the ID is at the bottom of the channel\'s details)';
  return 'expected a Slack channel ID like "C0123456789"';
}
