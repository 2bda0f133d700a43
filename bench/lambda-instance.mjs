// One warm Lambda instance, in its own plain Node process (no loader, so its memory is the
// bundle's own): imports a bundled handler once, then handles the SQS batches its parent sends
// over IPC, one at a time, with the function's timeout. It answers with the batch item failures,
// the time taken (wall and CPU) and the process's peak RSS. The handler's decision log goes to stdout, as in Lambda.
// Usage: fork('bench/lambda-instance.mjs', [BUNDLE, TIMEOUT_MS])
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bundle, timeout] = process.argv.slice(2);
if (!bundle || !timeout) throw new Error('usage: lambda-instance BUNDLE TIMEOUT_MS');
const { handler } = await import(pathToFileURL(bundle).href);

process.on('message', async (request) => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const end = Date.now() + Number(timeout);
  const context = { getRemainingTimeInMillis: () => end - Date.now(), awsRequestId: `storm-${request.id}` };
  const answer = { id: request.id, failedIds: [], durationMs: 0, cpuMs: 0, peakRssMb: 0 };
  try {
    const result = await handler(request.batch, context);
    answer.failedIds = (result?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
  } catch (error) {
    // A whole batch failing: SQS would redeliver every record of it.
    answer.failedIds = request.batch.Records.map((r) => r.messageId);
    answer.error = error.message;
  }
  answer.durationMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  answer.cpuMs = (used.user + used.system) / 1000;
  answer.peakRssMb = process.resourceUsage().maxRSS / 1024;
  // The answer goes over IPC, the log over stdout: this line tells the parent the log is complete.
  process.stdout.write(`${JSON.stringify({ benchInvocationDone: request.id })}\n`, () =>
    process.send(answer),
  );
});
process.send({ ready: true });
// When the parent lets go, end cleanly (so `--cpu-prof` and friends can write what they took).
process.on('disconnect', () => process.exit(0));
