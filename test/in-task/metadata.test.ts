import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchTaskMetadata, MetadataEndpointError } from '../../in-task/metadata.js';

const TASK = { TaskARN: 'arn:aws:ecs:eu-west-1:111122223333:task/prod/0123456789abcdef0123456789abcdef' };

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** An endpoint whose n-th request (from 1) gets `answer(n)`; `undefined` leaves it unanswered. */
async function endpoint(
  answer: (n: number) => { status: number; body: string } | undefined,
): Promise<{ env: NodeJS.ProcessEnv; requests: () => number }> {
  let requests = 0;
  server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    const reply = answer(++requests);
    if (reply) res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: { ECS_CONTAINER_METADATA_URI_V4: `http://127.0.0.1:${port}/v4/t` },
    requests: () => requests,
  };
}

describe('fetchTaskMetadata', () => {
  it('tries again when the first request gets no answer', async () => {
    const { env, requests } = await endpoint((n) =>
      n === 1 ? undefined : { status: 200, body: JSON.stringify(TASK) },
    );

    expect(await fetchTaskMetadata({ env })).toEqual(TASK);
    expect(requests()).toBe(2);
  });

  it('gives up after three unanswered tries, saying so', async () => {
    const { env, requests } = await endpoint(() => undefined);

    const failure = fetchTaskMetadata({ env });

    await expect(failure).rejects.toThrow(MetadataEndpointError);
    await expect(failure).rejects.toThrow(/no answer within 2000 ms \(3 tries\)$/);
    expect(requests()).toBe(3);
  });

  it('takes an error answer as final, without trying again', async () => {
    const { env, requests } = await endpoint(() => ({ status: 500, body: '{}' }));

    await expect(fetchTaskMetadata({ env })).rejects.toThrow(/answered HTTP 500$/);
    expect(requests()).toBe(1);
  });
});
