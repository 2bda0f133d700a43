import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { EventSourceSettings } from './deployed-bundle.js';

/** What a Lambda instance (bench/lambda-instance.mjs) is sent: a batch to handle. */
interface InvokeRequest {
  id: number;
  batch: { Records: unknown[] };
}

/** What it answers for one batch. */
interface InvokeAnswer {
  id: number;
  failedIds: string[];
  durationMs: number;
  cpuMs: number;
  peakRssMb: number;
  error?: string;
}

/** Lambda invokes with at most this much payload, whatever the batch size. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** What an SQS record adds to its body in the invocation payload (IDs, attributes, ARNs). */
const RECORD_OVERHEAD_BYTES = 600;
const POLL_MS = 20;
/** Memory left outside V8's old space for code, buffers and the runtime. */
const HEAP_HEADROOM_MB = 64;

interface Queued {
  messageId: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  enqueuedAt: number;
}

/** One invocation, as the bench saw it. */
export interface Invocation {
  records: number;
  failed: number;
  durationMs: number;
  /** CPU time of the instance: what the function's memory setting scales on Lambda. */
  cpuMs: number;
  peakRssMb: number;
  error?: string;
}

/**
 * An SQS queue and its Lambda event source mapping, simulated in real time with the stack's own
 * settings: `maxConcurrency` pollers, each gathering a batch until `batchSize` records, 6 MB of
 * payload or `batchWindowSeconds` after its first record, then invoking its warm instance (a
 * child process running the deployed bundle) and waiting for it. Failed records come back after
 * the visibility timeout; past `maxReceiveCount` they go to the dead-letter list.
 */
export class SimulatedEventSource {
  readonly invocations: Invocation[] = [];
  readonly deadLetters: Queued[] = [];
  private readonly queue: Queued[] = [];
  private readonly instances: ChildProcess[] = [];
  /** Records taken off the queue by a poller and not yet answered for. */
  private held = 0;
  private nextId = 0;
  private stopped = false;
  private pollers: Promise<void>[] = [];
  /** Invocations whose log has reached us in full (stdout and IPC are not ordered). */
  private readonly logged = new Set<number>();

  constructor(
    private readonly settings: EventSourceSettings,
    private readonly bundle: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly onStdout: (chunk: Buffer) => void,
    private readonly onStderr: (chunk: Buffer) => void,
  ) {}

  /** Starts the instances (cold starts, not measured) and their pollers. */
  async start(): Promise<void> {
    const worker = path.join(import.meta.dirname, 'lambda-instance.mjs');
    for (let i = 0; i < this.settings.maxConcurrency; i++) {
      const child = fork(worker, [this.bundle, String(this.settings.timeoutSeconds * 1000)], {
        env: this.env,
        // V8's heap held within the function's memory, as on Lambda, so garbage is collected there too.
        execArgv: [`--max-old-space-size=${Math.max(64, this.settings.memoryMb - HEAP_HEADROOM_MB)}`],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      // Powertools writes INFO lines to stdout and WARN/ERROR lines to stderr: the decision log is both.
      let pending = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        this.onStdout(chunk);
        const lines = (pending + chunk.toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const done = /^\{"benchInvocationDone":(\d+)\}$/.exec(line);
          if (done) this.logged.add(Number(done[1]));
        }
      });
      child.stderr?.on('data', this.onStderr);
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) =>
          reject(new Error(`a Lambda instance exited (${code}) before it was ready`)),
        );
      });
      this.instances.push(child);
    }
    this.pollers = this.instances.map((instance) => this.poll(instance));
  }

  /** Puts an event on the queue, as EventBridge does. */
  send(body: string): void {
    const now = Date.now();
    this.queue.push({
      messageId: `m-${this.nextId++}`,
      body,
      receiveCount: 0,
      visibleAt: now,
      enqueuedAt: now,
    });
  }

  /** Resolves once nothing is visible, nothing is in flight; what waits out its visibility timeout is left. */
  async drained(): Promise<Queued[]> {
    while (this.held > 0 || this.queue.some((q) => q.visibleAt <= Date.now())) await sleep(POLL_MS);
    return [...this.queue];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.pollers);
    for (const instance of this.instances) instance.kill();
  }

  private async poll(instance: ChildProcess): Promise<void> {
    while (!this.stopped) {
      const batch = await this.gather();
      if (batch.length === 0) continue;
      try {
        await this.invoke(instance, batch);
      } finally {
        this.held -= batch.length;
      }
    }
  }

  /** A batch as the mapping cuts it: size, payload or window, whichever comes first. */
  private async gather(): Promise<Queued[]> {
    const batch: Queued[] = [];
    let bytes = 0;
    let opened = 0;
    while (!this.stopped) {
      const now = Date.now();
      for (let i = 0; i < this.queue.length && batch.length < this.settings.batchSize; ) {
        const record = this.queue[i] as Queued;
        const size = record.body.length + RECORD_OVERHEAD_BYTES;
        if (record.visibleAt > now || bytes + size > MAX_PAYLOAD_BYTES) {
          i++;
          continue;
        }
        this.queue.splice(i, 1);
        this.held++;
        record.receiveCount++;
        batch.push(record);
        bytes += size;
        if (opened === 0) opened = now;
      }
      const full =
        batch.length >= this.settings.batchSize || bytes + RECORD_OVERHEAD_BYTES * 4 > MAX_PAYLOAD_BYTES;
      if (full || (opened > 0 && now - opened >= this.settings.batchWindowSeconds * 1000)) break;
      await sleep(POLL_MS);
    }
    return batch;
  }

  private async invoke(instance: ChildProcess, batch: Queued[]): Promise<void> {
    const request: InvokeRequest = {
      id: this.invocations.length,
      batch: { Records: batch.map(toRecord) },
    };
    const answer = await new Promise<InvokeAnswer>((resolve) => {
      const onMessage = (message: InvokeAnswer) => {
        if (message.id !== request.id) return;
        instance.off('message', onMessage);
        resolve(message);
      };
      instance.on('message', onMessage);
      instance.send(request);
    });
    while (!this.logged.has(request.id)) await sleep(POLL_MS);
    const failed = new Set(answer.failedIds);
    this.invocations.push({
      records: batch.length,
      failed: failed.size,
      durationMs: answer.durationMs,
      cpuMs: answer.cpuMs,
      peakRssMb: answer.peakRssMb,
      ...(answer.error ? { error: answer.error } : {}),
    });
    for (const record of batch) {
      if (!failed.has(record.messageId)) continue;
      if (record.receiveCount >= this.settings.maxReceiveCount) this.deadLetters.push(record);
      else
        this.queue.push({ ...record, visibleAt: Date.now() + this.settings.visibilityTimeoutSeconds * 1000 });
    }
  }
}

function toRecord(record: Queued): Record<string, unknown> {
  return {
    messageId: record.messageId,
    receiptHandle: `bench-${record.messageId}`,
    body: record.body,
    attributes: {
      ApproximateReceiveCount: String(record.receiveCount),
      SentTimestamp: String(record.enqueuedAt),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(record.enqueuedAt),
    },
    messageAttributes: {},
    md5OfBody: '0',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:EcsTaskNotifier-EventQueue',
    awsRegion: 'us-east-1',
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
