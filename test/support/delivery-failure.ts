import { SlackDeliveryError } from '../../lambda/adapters/slack-errors.js';

/** What a send or a Web API call rejected with, which must be a {@link SlackDeliveryError}. */
export async function deliveryFailure(promise: Promise<unknown>): Promise<SlackDeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SlackDeliveryError))
    throw new Error(`expected a SlackDeliveryError, got ${String(error)}`);
  return error;
}
