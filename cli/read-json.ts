import { readFile } from 'node:fs/promises';
import { UsageError } from './command.js';

/** Reads a JSON file named by an option; a missing or broken file is a one-line usage error. */
export async function readJsonOption(option: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${option} ${file}: ${code ? `cannot read (${code})` : 'not JSON'}`);
  }
}
