/** What every AWS adapter shares: a client per region, and SDK errors told without secrets. */

/** One client per region, built on first use by `create`. */
export function clientsByRegion<Client>(create: (region: string) => Client): (region: string) => Client {
  const clients = new Map<string, Client>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = create(region);
      clients.set(region, client);
    }
    return client;
  };
}

/** The reason a call fails when the default credential chain found nothing to sign it with. */
export const NO_CREDENTIALS = 'no AWS credentials found';

/** An SDK error as a short, secret-free reason: its name and HTTP status, or a plain sentence. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  if (error.name === 'CredentialsProviderError') return NO_CREDENTIALS;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status ? `${error.name} (HTTP ${status})` : error.name;
}
