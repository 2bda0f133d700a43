// Runs in its own Node process: imports a bundled handler once, then feeds it SQS batches one
// after another, as one warm Lambda instance would, and writes what it measured as JSON.
// Usage: node --import tsx bench/invoke-worker.ts BUNDLE INPUT.json OUTPUT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/** What the worker is told to do. */
export interface WorkerInput {
  batches: { Records: { messageId: string; attributes: Record<string, string> }[] }[];
  /** Leading batches run first and are not measured. */
  warmup: number;
  /** Records the handler reports failed go to the back of the queue, up to this many receives. */
  maxReceives: number;
}

/** What the worker measured. */
export interface WorkerOutput {
  /** Milliseconds per measured invocation. */
  durationsMs: number[];
  /** From the first measured invocation's start to the last one's end. */
  wallMs: number;
  /** Records handed back as batch item failures (each redelivery counts). */
  itemFailures: number;
  /** Records still failed after `maxReceives`. */
  undelivered: number;
}

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ batchItemFailures?: { itemIdentifier: string }[] } | undefined>;

const [bundle, inputFile, outputFile] = process.argv.slice(2);
if (!bundle || !inputFile || !outputFile) throw new Error('usage: invoke-worker BUNDLE INPUT OUTPUT');
const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: Handler };
const input = JSON.parse(readFileSync(inputFile, 'utf8')) as WorkerInput;
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'bench' };

const queue = [...input.batches];
const output: WorkerOutput = { durationsMs: [], wallMs: 0, itemFailures: 0, undelivered: 0 };
let started = 0;
for (let i = 0; queue.length > 0; i++) {
  const batch = queue.shift() as WorkerInput['batches'][number];
  if (i === input.warmup) started = performance.now();
  const t0 = performance.now();
  const answer = await handler(batch, context);
  if (i >= input.warmup) output.durationsMs.push(performance.now() - t0);
  const failed = new Set((answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  output.itemFailures += failed.size;
  const again = batch.Records.filter((r) => failed.has(r.messageId)).map((r) => ({
    ...r,
    attributes: {
      ...r.attributes,
      ApproximateReceiveCount: String(Number(r.attributes.ApproximateReceiveCount) + 1),
    },
  }));
  const retry = again.filter((r) => Number(r.attributes.ApproximateReceiveCount) <= input.maxReceives);
  output.undelivered += again.length - retry.length;
  if (retry.length > 0) queue.push({ ...batch, Records: retry });
}
output.wallMs = performance.now() - started;
writeFileSync(outputFile, JSON.stringify(output));
process.exit(0);
