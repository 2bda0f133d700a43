import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { NotifierError } from '../domain/errors.js';

/** What every AWS adapter shares: a client per account and region, and SDK errors told without secrets. */

/** Where a call goes: the account whose resource it reads, and the region. */
export interface Place {
  region: string;
  /** Absent or the notifier's own: the caller's credentials. */
  account?: string;
}

/** A client for a place: one per region and reader role, built on first use. */
export type ClientFor<Client> = (region: string, account?: string) => Client;

/** A reader role could not be assumed; the message names the role and why, never a credential. */
export class ReaderRoleError extends NotifierError {}

/**
 * One client per region (and per reader role, for an account `readerRoles` names: `"ACCOUNT:REGION"`
 * → role ARN), built on first use by `create`, with the role's credentials: assumed through STS,
 * kept and refreshed before they expire. Any other account is read with the caller's own.
 */
export function clientsByPlace<Client>(
  create: (region: string, credentials?: AwsCredentialIdentityProvider) => Client,
  readerRoles: Readonly<Record<string, string>> = {},
): ClientFor<Client> {
  const clients = new Map<string, Client>();
  return (region, account) => {
    const roleArn = account ? readerRoles[`${account}:${region}`] : undefined;
    const key = `${region} ${roleArn ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      client = create(region, roleArn ? assumed(roleArn, region) : undefined);
      clients.set(key, client);
    }
    return client;
  };
}

/** One client per region, built on first use by `create`. */
export function clientsByRegion<Client>(create: (region: string) => Client): (region: string) => Client {
  const byPlace = clientsByPlace((region) => create(region));
  return (region) => byPlace(region);
}

/** The credentials of `roleArn`, assumed in `region`'s STS, refreshed by the SDK as they near expiry. */
function assumed(roleArn: string, region: string): AwsCredentialIdentityProvider {
  const provider = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: 'ecs-task-notifier', DurationSeconds: 3600 },
    clientConfig: { region },
  });
  return async (options) => {
    try {
      return await provider(options);
    } catch (error) {
      throw new ReaderRoleError(`could not assume ${roleArn}: ${describeError(error)}`, { cause: error });
    }
  };
}

/** The reason a call fails when the default credential chain found nothing to sign it with. */
export const NO_CREDENTIALS = 'no AWS credentials found';

/** An SDK error as a short, secret-free reason: its name and HTTP status, or a plain sentence. */
export function describeError(error: unknown): string {
  if (error instanceof NotifierError) return error.message;
  if (!(error instanceof Error)) return 'unknown error';
  if (error.name === 'CredentialsProviderError') return NO_CREDENTIALS;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status ? `${error.name} (HTTP ${status})` : error.name;
}
