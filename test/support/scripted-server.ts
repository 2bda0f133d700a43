import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers one request: a response (maybe slow), a dropped connection, or silence. */
export type Scripted =
  | {
      status: number;
      body?: string;
      headers?: Record<string, string>;
      delayMs?: number;
      /** Answers only once this settles: the test decides when, not the clock. */
      until?: Promise<unknown>;
    }
  | { reset: true }
  | { hang: true };

export interface ScriptedServer {
  url: string;
  /** Bodies of the requests received, in order, with their headers and when they arrived (epoch ms). */
  requests: { path: string; headers: IncomingMessage['headers']; body: string; at: number }[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that answers from a script, one entry per request (the last entry
 * repeats), so a test can produce 429s, 5xx, resets and timeouts on demand.
 */
export async function startScriptedServer(
  script: Scripted[] | ((request: { path: string; body: string; index: number }) => Scripted),
): Promise<ScriptedServer> {
  const requests: ScriptedServer['requests'] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const index = requests.length;
    requests.push({ path: req.url ?? '/', headers: req.headers, body, at: Date.now() });
    const step =
      typeof script === 'function'
        ? script({ path: req.url ?? '/', body, index })
        : (script[Math.min(index, script.length - 1)] as Scripted);
    if ('reset' in step) return req.socket.destroy();
    if ('hang' in step) return;
    if (step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    if (step.until) await step.until;
    res.writeHead(step.status, { 'content-type': 'text/plain', ...step.headers });
    res.end(step.body ?? (step.status === 200 ? 'ok' : ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
