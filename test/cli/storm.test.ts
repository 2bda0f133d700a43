import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runMain } from '../support/cli.js';

const CONFIG = join(REPO_ROOT, 'examples/notifier.json');

describe('storm', () => {
  it("prints N task stop events of the configuration's sources, the same on every run", async () => {
    const first = await runMain(['storm', '--count', '120', '--failed', '0.25', '--config', CONFIG]);
    const again = await runMain(['storm', '--count', '120', '--failed', '0.25', '--config', CONFIG]);

    const events = first.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(first.code).toBe(0);
    expect(events).toHaveLength(120);
    expect(new Set(events.map((e) => e.detail.clusterArn))).toEqual(
      new Set([
        'arn:aws:ecs:eu-west-1:210987654321:cluster/batch-a',
        'arn:aws:ecs:eu-west-1:210987654321:cluster/batch-b',
      ]),
    );
    expect(new Set(events.map((e) => e.detail.taskArn)).size).toBe(120);
    expect(again.stdout).toBe(first.stdout);
  });

  it('replays as digests: every source and family over the threshold in one message', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'storm-')), 'storm.jsonl');
    writeFileSync(file, (await runMain(['storm', '--count', '100', '--config', CONFIG])).stdout);

    const { code, stdout } = await runMain(['replay', file, '--config', CONFIG, '--dry-run']);

    expect(code).toBe(0);
    expect(stdout).toContain('100 events → 0 messages, 1 digest (dry run: none sent); 100 would notify');
  });

  it.each([
    [['--count', '0'], '--count must be a whole number from 1 to 100000'],
    [['--failed', '2'], '--failed must be a share from 0 to 1'],
  ])('refuses %j, saying what it takes', async (args, message) => {
    const { code, stderr } = await runMain(['storm', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
