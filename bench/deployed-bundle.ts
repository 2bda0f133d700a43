import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { parseDeployConfig } from '../lib/deploy-config.js';
import { type DeployedBundle, findDeployedBundle } from '../lib/deployed-bundle.js';
import { addNotifierStacks } from '../lib/notifier-app.js';

/** How the stack's event source mapping feeds the function, as synthesized. */
export interface EventSourceSettings {
  batchSize: number;
  batchWindowSeconds: number;
  maxConcurrency: number;
  timeoutSeconds: number;
  memoryMb: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}

/** Synthesizes the app as `bin/app.ts` does, with the Lambda bundled, into a temporary directory. */
export function synthDeployedBundle(
  config: unknown,
): DeployedBundle & { outdir: string; settings: EventSourceSettings } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'ecs-task-notifier-bench-cdk-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const { notifier } = addNotifierStacks(app, parseDeployConfig(config));
  const bundle = findDeployedBundle(app, notifier);
  const template = app.synth().getStackArtifact(notifier.artifactId).template as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  return { ...bundle, outdir, settings: eventSourceSettings(template.Resources) };
}

/** Reads the event source mapping, the function and the event queue out of a template. */
export function eventSourceSettings(
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>,
): EventSourceSettings {
  const one = (type: string, where: (p: Record<string, unknown>) => boolean = () => true) => {
    const found = Object.values(resources).filter((r) => r.Type === type && where(r.Properties));
    if (found.length !== 1) throw new Error(`expected one ${type} in the template, found ${found.length}`);
    return (found[0] as { Properties: Record<string, unknown> }).Properties;
  };
  const mapping = one('AWS::Lambda::EventSourceMapping');
  const fn = one('AWS::Lambda::Function');
  const queue = one('AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined);
  return {
    batchSize: Number(mapping.BatchSize ?? 10),
    batchWindowSeconds: Number(mapping.MaximumBatchingWindowInSeconds ?? 0),
    maxConcurrency: Number(
      (mapping.ScalingConfig as { MaximumConcurrency?: number })?.MaximumConcurrency ?? 1000,
    ),
    timeoutSeconds: Number(fn.Timeout ?? 3),
    memoryMb: Number(fn.MemorySize ?? 128),
    visibilityTimeoutSeconds: Number(queue.VisibilityTimeout ?? 30),
    maxReceiveCount: Number((queue.RedrivePolicy as { maxReceiveCount?: number }).maxReceiveCount),
  };
}
