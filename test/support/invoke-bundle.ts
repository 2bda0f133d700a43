import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** The module that makes `import` honour `NODE_PATH`, as the Lambda runtime does. */
const NODE_PATH_IMPORTS = pathToFileURL(path.join(import.meta.dirname, 'lambda-node-path.mjs')).href;

/** What one invocation of a bundled handler answered, and what it printed (its structured log). */
export interface BundleInvocation {
  result: unknown;
  stdout: string;
  stderr: string;
}

export interface InvokeBundleOptions {
  /** The function's environment; nothing of this process's is passed on. */
  env: NodeJS.ProcessEnv;
  /**
   * Folders the bundle's bare imports fall back to when Node cannot find them from the bundle's
   * own folder, as Lambda's `NODE_PATH` (`/var/runtime/node_modules`…) serves the SDK it provides.
   */
  nodePath?: string[];
  /** @default 30_000 */
  timeoutMs?: number;
}

/**
 * Imports the bundle in a fresh plain Node process (no loader, as Lambda runs it) and hands it one
 * event; resolves with the handler's answer and what it printed, rejects naming the readable lines
 * of its stderr.
 */
export async function invokeBundle(
  file: string,
  event: unknown,
  options: InvokeBundleOptions,
): Promise<BundleInvocation> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundle-invoke-'));
  const eventFile = path.join(dir, 'event.json');
  const resultFile = path.join(dir, 'result.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const script = `
    import { readFileSync, writeFileSync } from 'node:fs';
    const [bundle, eventFile, resultFile, timeoutMs] = process.argv.slice(1);
    const { handler } = await import(bundle);
    const end = Date.now() + Number(timeoutMs);
    const context = { getRemainingTimeInMillis: () => end - Date.now(), awsRequestId: 'bundle-invoke' };
    writeFileSync(resultFile, JSON.stringify(await handler(JSON.parse(readFileSync(eventFile, 'utf8')), context)));
  `;
  const env = options.nodePath
    ? { ...options.env, NODE_PATH: options.nodePath.join(path.delimiter) }
    : options.env;
  const imports = options.nodePath ? ['--import', NODE_PATH_IMPORTS] : [];
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        ...imports,
        '--input-type=module',
        '-e',
        script,
        pathToFileURL(file).href,
        eventFile,
        resultFile,
        String(timeoutMs),
      ],
      { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
    );
    return { result: JSON.parse(readFileSync(resultFile, 'utf8')), stdout, stderr };
  } catch (error) {
    // Node echoes the failing line of a minified bundle: keep only the readable lines.
    const stderr = String((error as { stderr?: unknown }).stderr ?? error);
    const readable = stderr.split('\n').filter((line) => line.trim() && line.length < 400);
    throw new Error(`the bundle failed:\n${readable.slice(0, 8).join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
