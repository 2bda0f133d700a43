import { performance } from 'node:perf_hooks';

/** One check's outcome. */
export interface CheckResult {
  name: string;
  passed: boolean;
  detail: string;
  seconds: number;
}

/** A check failed: its message is what the line shows. */
export class CheckFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

/** Throws a {@link CheckFailedError} saying `what` unless `condition` holds. */
export function expectThat(condition: unknown, what: string): asserts condition {
  if (!condition) throw new CheckFailedError(what);
}

/** `pass  name  detail  (1.2 s)`, padded so the columns line up. */
export function formatLine(result: CheckResult): string {
  const status = result.passed ? 'pass' : 'FAIL';
  return `${status}  ${result.name.padEnd(44)} ${result.detail} (${result.seconds.toFixed(1)} s)`;
}

/**
 * Runs `act` (which returns a few words saying what it saw), prints one line, and returns the
 * result; a throw is a failure with its message, never a crash of the run.
 */
export async function runCheck(
  name: string,
  act: () => Promise<string>,
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<CheckResult> {
  const started = performance.now();
  let result: CheckResult;
  try {
    const detail = await act();
    result = { name, passed: true, detail, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result = { name, passed: false, detail: oneLine(message), seconds: (performance.now() - started) / 1000 };
  }
  print(formatLine(result));
  return result;
}

/** The last line: how many passed, and how long the whole run took. */
export function formatSummary(results: readonly CheckResult[], seconds: number): string {
  const failed = results.filter((r) => !r.passed).length;
  const time =
    seconds >= 60
      ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`
      : `${seconds.toFixed(0)} s`;
  return failed === 0
    ? `e2e: all ${results.length} checks passed in ${time}`
    : `e2e: ${failed} of ${results.length} checks FAILED in ${time}`;
}

function oneLine(text: string): string {
  const line = text
    .split('\n')
    .filter((l) => l.trim())
    .join(' | ');
  return line.length > 400 ? `${line.slice(0, 397)}...` : line;
}
