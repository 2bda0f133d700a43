import { type ChildProcess, spawn } from 'node:child_process';
import { writeSync } from 'node:fs';

/** Progress for the reader, on stderr, so stdout holds only the table. */
export function progress(line: string): void {
  writeSync(2, `[bench] ${line}\n`);
}

/** The child's stderr, readable lines only (Node echoes the failing line of a minified bundle). */
function readableTail(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() && line.length < 400);
  return lines.slice(-12).join('\n');
}

/** Spawns `command`; resolves when it exits 0, rejects naming its stderr otherwise. */
export function spawnChild(
  command: string,
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /** In a process group of its own, so the caller can end it and whatever it started. */
    detached?: boolean;
    onStdout?: (chunk: Buffer) => void;
    timeoutMs?: number;
  },
): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.detached ? { detached: true } : {}),
    stdio: ['ignore', options.onStdout ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  if (options.onStdout) child.stdout?.on('data', options.onStdout);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${command} ${args.slice(0, 3).join(' ')}… exited ${code ?? signal}:\n${readableTail(stderr)}`,
          ),
        );
    });
  });
  return { child, exited };
}
