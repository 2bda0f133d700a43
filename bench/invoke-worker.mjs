// Runs in its own plain Node process, as Lambda runs the bundle (no loader): imports a bundled
// handler once, then feeds it SQS batches one after another, as one warm Lambda instance would,
// and writes what it measured as JSON (the shapes are in bench/worker-io.ts).
// Usage: node bench/invoke-worker.mjs BUNDLE INPUT.json OUTPUT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bundle, inputFile, outputFile] = process.argv.slice(2);
if (!bundle || !inputFile || !outputFile) throw new Error('usage: invoke-worker BUNDLE INPUT OUTPUT');
const { handler } = await import(pathToFileURL(bundle).href);
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'bench' };

const queue = [...input.batches];
const output = { durationsMs: [], wallMs: 0, itemFailures: 0, undelivered: 0 };
let started = 0;
for (let i = 0; queue.length > 0; i++) {
  const batch = queue.shift();
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
