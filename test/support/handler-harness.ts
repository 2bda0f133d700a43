import { Writable } from 'node:stream';
import { createLambdaLogger } from '../../lambda/adapters/logger.js';
import type * as HandlerModule from '../../lambda/handler.js';

/** Every line the handlers of the test file logged. */
export const printed: string[] = [];

/** Where the handlers log: into `printed`, so a test can read the logs without touching stdout. */
const logs = new Writable({
  write(chunk, _encoding, done) {
    printed.push(String(chunk));
    done();
  },
});

/** A cold start of a handler with this environment: a handler of its own, fresh clients and ledger. */
export async function coldStart(
  env: Record<string, string | undefined>,
): Promise<{ handler: HandlerModule.NotifierHandler }> {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const { createHandler } = await import('../../lambda/handler.js');
  return { handler: createHandler({ logger: createLambdaLogger(logs) }) };
}

export const AWS_TEST_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
