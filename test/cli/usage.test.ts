import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../cli/commands/index.js';
import { REPO_ROOT, runCli, runMain } from '../support/cli.js';

const COMMANDS = commands.map((c) => c.name);

describe('the CLI', () => {
  it("says its version, package.json's, with --version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { code, stdout } = await runCli(['--version']);
    expect([code, stdout.trim()]).toEqual([0, version]);
  });

  it('lists every command in --help', async () => {
    const { stdout } = await runMain(['--help']);
    for (const name of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });
});

describe('every command', () => {
  it.each(COMMANDS)('%s shows its usage with --help', async (name) => {
    const { code, stdout } = await runMain([name, '--help']);

    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: ecs-task-notifier ${name}`));
  });

  it.each(COMMANDS)('%s refuses an unknown option in one short line, then its usage line', async (name) => {
    const { code, stderr } = await runMain([name, '--bogus']);

    const lines = stderr.trim().split('\n');
    expect(code).toBe(2);
    expect(lines[0]).toBe(`ecs-task-notifier ${name}: unknown option --bogus`);
    expect(lines[1]).toMatch(new RegExp(`^Usage: ecs-task-notifier ${name}`));
    expect(lines).toHaveLength(2);
  });
});

describe('a port in use', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => taken.close(resolve)));

  it('is named, with --port 0 suggested, by metadata serve', async () => {
    const task = path.join(REPO_ROOT, 'examples/task-metadata.json');

    const { code, stderr } = await runMain(['metadata', 'serve', '--task', task, '--port', String(port)]);

    expect(code).toBe(2);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(stderr).toContain('--port 0');
    expect(stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  it('is named, with --port 0 suggested, by local', async () => {
    const { code, stderr } = await runMain(['local', '--port', String(port)]);

    expect(code).toBe(2);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(stderr).toContain('--port 0');
  });
});
