import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findMotoServer, INSTALL_MOTO } from '../../e2e/moto.js';
import { REPO_ROOT } from '../support/cli.js';

const TSX = createRequire(import.meta.url).resolve('tsx/cli');

describe('finding moto_server', () => {
  let root: string;
  let withMoto: string;
  let without: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'moto-test-'));
    withMoto = path.join(root, 'bin');
    without = path.join(root, 'empty');
    mkdirSync(withMoto);
    mkdirSync(without);
    writeFileSync(path.join(withMoto, 'moto_server'), '#!/bin/sh\n');
    chmodSync(path.join(withMoto, 'moto_server'), 0o755);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('takes the first executable moto_server on PATH', () => {
    expect(findMotoServer([without, withMoto].join(path.delimiter))).toBe(path.join(withMoto, 'moto_server'));
  });

  test('finds none on a PATH without it', () => {
    expect(findMotoServer(without)).toBeUndefined();
  });

  test('npm run e2e without it says in one line how to install moto, and exits non-zero', async () => {
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [TSX, 'e2e/run.ts'],
        { cwd: REPO_ROOT, env: { PATH: without, HOME: process.env.HOME }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([INSTALL_MOTO]);
    expect(INSTALL_MOTO).toContain("pip install 'moto[server]'");
  });
});
