import { readFile } from 'node:fs/promises';
import { UsageError } from './command.js';

/**
 * Reads a JSON file named by an option (a UTF-8 byte order mark is skipped); a missing or broken
 * file is a one-line usage error.
 */
export async function readJsonOption(option: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${option} ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new UsageError(`${option} ${file}: not JSON`);
  }
}
