import { vi } from 'vitest';
import type * as HandlerModule from '../../lambda/handler.js';

/** Everything the handler printed (Powertools writes JSON lines to stdout). */
export const printed: string[] = [];

/** Captures stdout and stderr for the rest of the test file, so the logs can be checked. */
export function captureOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return typeof rest[0] === 'function' ? (rest[0] as () => void)() !== undefined || true : true;
    }) as typeof stream.write);
    void write;
  }
}

/** A cold start of a handler with this environment: a handler of its own, fresh clients and ledger. */
export async function coldStart(
  env: Record<string, string | undefined>,
): Promise<{ handler: HandlerModule.NotifierHandler }> {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const { createHandler } = await import('../../lambda/handler.js');
  return { handler: createHandler() };
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
