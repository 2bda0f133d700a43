import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';
import { invokeBundle } from '../support/invoke-bundle.js';

/** A handler outside the project, as a bundle in cdk.out is, importing a package it does not ship. */
describe('a bundle importing a module the Lambda runtime provides', () => {
  let dir: string;
  let bundle: string;
  const env = { PATH: process.env.PATH };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'node-path-test-'));
    bundle = path.join(dir, 'index.mjs');
    writeFileSync(bundle, "export const handler = async () => typeof (await import('p-map')).default;\n");
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('finds it in a NODE_PATH folder, as the runtime finds its own SDK', async () => {
    const { result } = await invokeBundle(
      bundle,
      {},
      { env, nodePath: [path.join(REPO_ROOT, 'node_modules')] },
    );

    expect(result).toBe('function');
  });

  test('fails without NODE_PATH, since Node itself does not read it for import', async () => {
    await expect(invokeBundle(bundle, {}, { env })).rejects.toThrow(/Cannot find package 'p-map'/);
  });

  test('fails when no NODE_PATH folder holds it', async () => {
    await expect(invokeBundle(bundle, {}, { env, nodePath: [dir] })).rejects.toThrow(
      /Cannot find package 'p-map'/,
    );
  });
});
