import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandPaths } from '../../cli/event-paths.js';
import { jsonLines, runCli, runMain } from '../support/cli.js';
import { loadEvent } from '../support/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'replay-edges-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A fresh folder for one test. */
function folder(): string {
  const dir = join(root, String(++folders));
  mkdirSync(dir);
  return dir;
}

/** One line of JSON: an event for a task of its own. */
function eventLine(n: number): string {
  const event = loadEvent('fargate-stopped-succeeded');
  event.detail.taskArn = `arn:aws:ecs:eu-west-1:111122223333:task/batch-a/${String(n).padStart(32, '0')}`;
  return JSON.stringify(event);
}

const MiB = 1024 * 1024;

describe('replay: directories', () => {
  it('lists a folder reached through many links once per real file, without running out of stack', async () => {
    const dir = folder();
    const files = join(dir, 'files');
    mkdirSync(files);
    for (let i = 0; i < 10_000; i++) writeFileSync(join(files, `${i}.json`), '');
    // Fourteen ways into the same 10,000 files: 140,000 paths, more than a spread can take.
    const links = join(dir, 'links');
    mkdirSync(links);
    for (let i = 0; i < 14; i++) symlinkSync(files, join(links, `to-files-${i}`));

    const sources = await expandPaths([links]);

    expect(sources).toHaveLength(10_000);
    expect(new Set(sources.map((s) => s.file.replace(/^.*\//, ''))).size).toBe(10_000);
  });

  it('survives symlink loops, replaying each real file once', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.json'), eventLine(1));
    writeFileSync(join(dir, 'sub', 'b.json'), eventLine(2));
    // Links back up the tree, one named like an event file (as an export tool might name it).
    symlinkSync('..', join(dir, 'sub', 'back.json'));
    symlinkSync('.', join(dir, 'here'));

    const { code, stdout } = await runMain(['replay', '--dry-run', '--json', dir]);

    expect(code).toBe(0);
    expect(jsonLines(stdout).map((l) => [l.file, l.status])).toEqual([
      [join(dir, 'a.json'), 'notified'],
      [join(dir, 'sub', 'b.json'), 'notified'],
    ]);
  });

  it('exits 2 naming a directory that holds no event files', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'notes.txt'), 'not an event');

    const { code, stdout, stderr } = await runMain(['replay', '--dry-run', dir]);

    expect(code).toBe(2);
    expect(stderr).toContain(`${dir}: no event files`);
    expect(stdout).toBe('');
  });

  it('exits 2 saying so when the files hold no events', async () => {
    const dir = folder();
    const empty = join(dir, 'empty.json');
    const blank = join(dir, 'blank.jsonl');
    writeFileSync(empty, '');
    writeFileSync(blank, '\n\n');

    const { code, stderr } = await runMain(['replay', '--dry-run', empty, blank]);

    expect(code).toBe(2);
    expect(stderr).toContain('no events found');
  });
});

describe('replay: JSON Lines', () => {
  it('refuses a line over 1 MiB without holding it, and goes on with the next line', async () => {
    const file = join(folder(), 'huge-line.jsonl');
    const first = `${eventLine(1)}\n`;
    writeFileSync(file, first);
    // 150 MB of NUL bytes as line 2, a sparse file: nothing to write, everything to read.
    truncateSync(file, Buffer.byteLength(first) + 150 * 1000 * 1000);
    appendFileSync(file, `\n${eventLine(3)}\n`);

    // In a process of its own, with a heap far smaller than the line.
    const { code, stdout } = await runCli(['replay', '--dry-run', '--json', file], {
      NODE_OPTIONS: '--max-old-space-size=96',
    });

    expect(jsonLines(stdout).map((l) => [l.index, l.status, l.reason])).toEqual([
      [0, 'notified', null],
      [1, 'rejected', expect.stringMatching(/^line 2 is over 1 MiB/)],
      [2, 'notified', null],
    ]);
    expect(code).toBe(1);
  });

  it('counts blank lines in the line number it names', async () => {
    const file = join(folder(), 'gaps.jsonl');
    writeFileSync(file, `${eventLine(1)}\n\n{"detail-type": oops\n`);

    const { stdout } = await runMain(['replay', '--dry-run', '--json', file]);

    expect(jsonLines(stdout)[1]?.reason).toMatch(/^line 3 is not JSON/);
  });

  it('accepts a UTF-8 byte order mark, in a .json and a .jsonl file', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${eventLine(1)}`);
    writeFileSync(join(dir, 'bom.jsonl'), `\uFEFF${eventLine(2)}\n${eventLine(3)}\n`);

    const { code, stdout } = await runMain(['replay', '--dry-run', '--json', dir]);

    expect(jsonLines(stdout).map((l) => l.status)).toEqual(['notified', 'notified', 'notified']);
    expect(code).toBe(0);
  });
});

describe('replay: .json files', () => {
  it('refuses a .json file over 32 MiB, suggesting JSON Lines', async () => {
    const file = join(folder(), 'big.json');
    writeFileSync(file, '');
    truncateSync(file, 33 * MiB);

    const { code, stdout } = await runMain(['replay', '--dry-run', '--json', file]);

    expect(code).toBe(1);
    expect(jsonLines(stdout)[0]?.reason).toMatch(/over the 32 MiB .* JSON Lines \(\.jsonl/);
  });

  it('gives a broken file its whole reason on one line', async () => {
    const file = join(folder(), 'broken.json');
    writeFileSync(file, '{\n  "detail-type": \n  oops\n}\n');

    const { stdout } = await runMain(['replay', '--dry-run', '--json', file]);
    const [line] = jsonLines(stdout);

    expect(line?.reason).toMatch(/^not JSON: .*is not valid JSON$/);
    expect(line?.reason).not.toMatch(/[\n\r]/);
  });
});

describe('replay: readable output', () => {
  it('shows control characters in file names and JSON snippets escaped, never raw', async () => {
    const dir = folder();
    const name = 'title\u001b]0;pwned\u0007\u202e.json';
    writeFileSync(join(dir, name), '{"detail-type": \u001b[2J\u001b[H}');

    const { stdout } = await runMain(['replay', '--dry-run', dir]);
    const [line] = stdout.split('\n');

    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the test
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(line).toContain('title\\x1b]0;pwned\\x07\\u202e.json');
    expect(line).toContain('\\x1b[2J');
  });
});
