// The stand-in image's runtime: what compose.yaml uses of the Lambda base image's runtime interface
// emulator, and nothing more. `POST /2015-03-31/functions/function/invocations` on port 8080 calls
// the handler named by the first argument (`file.export`, found in $LAMBDA_TASK_ROOT) with the body
// as the event, one invocation at a time in one warm process, and answers with its result as JSON,
// or with `{ errorType, errorMessage, trace }` when it throws.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const INVOKE_PATH = '/2015-03-31/functions/function/invocations';
const handlerName = process.argv[2] ?? '';
const taskRoot = process.env.LAMBDA_TASK_ROOT ?? '/var/task';
const timeoutMs = Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT ?? 300) * 1000;
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
const dot = handlerName.lastIndexOf('.');
if (dot <= 0) {
  console.error(`expected a handler such as index.handler as the first argument, got "${handlerName}"`);
  process.exit(2);
}

let loaded;
/** The handler, loaded at the first invocation like the emulator's init phase. */
function loadHandler() {
  loaded ??= (async () => {
    const base = path.join(taskRoot, handlerName.slice(0, dot));
    const file = ['.mjs', '.js', '.cjs'].map((ext) => base + ext).find((f) => existsSync(f));
    if (!file) throw new Error(`no ${base}.mjs, .js or .cjs for the handler ${handlerName}`);
    const handler = (await import(pathToFileURL(file).href))[handlerName.slice(dot + 1)];
    if (typeof handler !== 'function') throw new Error(`${file} exports no function ${handlerName}`);
    return handler;
  })();
  return loaded;
}

async function invoke(body) {
  const requestId = randomUUID();
  const deadline = Date.now() + timeoutMs;
  const context = {
    awsRequestId: requestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  console.log(`START RequestId: ${requestId} Version: $LATEST`);
  try {
    const handler = await loadHandler();
    return JSON.stringify((await handler(body.length > 0 ? JSON.parse(body) : {}, context)) ?? null);
  } catch (error) {
    console.error(error);
    const { name = 'Error', message = String(error), stack = '' } = error ?? {};
    return JSON.stringify({ errorType: name, errorMessage: message, trace: String(stack).split('\n') });
  } finally {
    console.log(`END RequestId: ${requestId}`);
  }
}

// One execution environment runs one invocation at a time.
let queue = Promise.resolve();
const server = createServer((req, res) => {
  if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://local').pathname !== INVOKE_PATH) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`POST ${INVOKE_PATH}\n`);
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    queue = queue.then(async () => {
      const answer = await invoke(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    });
  });
});
server.listen(8080, '0.0.0.0', () => console.log(`invoke stand-in listening on :8080${INVOKE_PATH}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
