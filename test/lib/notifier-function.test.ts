import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { findDeployedBundle } from '../../lib/deployed-bundle.js';
import { synthNotifier, TWO_VPCS } from './synth.js';

let tmp: string;
const savedTmpdir = process.env.TMPDIR;

beforeEach(() => {
  // os.tmpdir() reads TMPDIR: what synthesis leaves in the temporary folder lands here.
  tmp = mkdtempSync(path.join(tmpdir(), 'notifier-function-test-'));
  process.env.TMPDIR = tmp;
});

afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  rmSync(tmp, { recursive: true, force: true });
});

test('bundling ships the configuration and leaves no temporary copy of it behind', () => {
  const synth = synthNotifier(TWO_VPCS, { bundle: true });
  const bundle = findDeployedBundle(synth.app, synth.notifier);
  const shipped = JSON.parse(
    readFileSync(path.join(path.dirname(bundle.file), 'notifier-config.json'), 'utf8'),
  );
  rmSync(synth.app.outdir, { recursive: true, force: true });

  expect(shipped.slackWebhookSecretArn).toBe(TWO_VPCS.slackWebhookSecretArn);
  expect(readdirSync(tmp)).toEqual([]);
});
