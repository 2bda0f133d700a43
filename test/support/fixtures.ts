import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under test/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** A fixture parsed as JSON; a fresh copy each call, so tests may change it. */
export function loadFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

/** An event fixture whose detail can be edited in place. */
export function loadEvent(name: string): { detail: Record<string, unknown> } & Record<string, unknown> {
  return loadFixture(`events/${name}.json`);
}
