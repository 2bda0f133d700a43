/** What bench/invoke-worker.mjs is told to do. */
export interface WorkerInput {
  batches: { Records: { messageId: string; attributes: Record<string, string> }[] }[];
  /** Leading batches run first and are not measured. */
  warmup: number;
  /** Records the handler reports failed go to the back of the queue, up to this many receives. */
  maxReceives: number;
}

/** What it measured. */
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
