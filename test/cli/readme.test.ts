import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { BIN, type CliResult, REPO_ROOT, runCli } from '../support/cli.js';

/** One `npx ecs-task-notifier …` line of a shell block in the README, as a user would type it. */
interface ReadmeCommand {
  line: string;
  env: Record<string, string>;
  args: string[];
}

/** Every `npx ecs-task-notifier` command in the README's `sh` blocks, continuation lines joined. */
function readmeCommands(): ReadmeCommand[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const lines = blocks.flatMap((block) => block.replace(/\\\n\s*/g, '').split('\n'));
  return lines.flatMap((line) => {
    const words = shellWords(line);
    const at = words.indexOf('npx');
    if (at === -1 || words[at + 1] !== 'ecs-task-notifier') return [];
    const env = Object.fromEntries(words.slice(0, at).map((w) => w.split(/=(.*)/s).slice(0, 2)));
    return [{ line, env, args: words.slice(at + 2) }];
  });
}

/** Splits a line as sh would: quotes, `#` comments; `$VAR` is left for the caller to expand. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(#.*)|([^\s"'#]+))/gy;
  let word: string | undefined;
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
    if (m[3] !== undefined) break;
    const part = m[1] ?? m[2] ?? m[4] ?? '';
    const joined = m[0].length === m[0].trimStart().length && word !== undefined;
    if (joined) word += part;
    else {
      if (word !== undefined) words.push(word);
      word = part;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Starts a serving command, collecting what it prints until `ready` matches a line. */
function serve(args: string[], env: NodeJS.ProcessEnv, ready: RegExp) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const started = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      if (ready.test(stdout)) resolve(stdout);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`)));
  });
  return { started, stop: () => child.kill('SIGTERM') };
}

const commands = readmeCommands();
let sink: SlackSink;
const stops: (() => void)[] = [];
beforeAll(async () => {
  sink = await startSlackSink();
});
afterAll(async () => {
  for (const stop of stops) stop();
  await sink.close();
});

describe('the README', () => {
  it('has replay, local, metadata serve, whoami and notify commands to try', () => {
    expect(new Set(commands.map((c) => c.args[0]))).toEqual(
      new Set(['replay', 'local', 'metadata', 'whoami', 'notify']),
    );
  });

  it('runs every command as written, in order, and each one works', async () => {
    // What the README sets up for the lines after it: the webhook, the metadata endpoint.
    const session: NodeJS.ProcessEnv = {
      ...process.env,
      NOTIFIER_CONFIG: undefined,
      SLACK_WEBHOOK_URL: sink.hookUrl,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: undefined,
      HOME: REPO_ROOT,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const expand = (word: string) =>
      word === '...'
        ? (session.SLACK_WEBHOOK_URL ?? '')
        : word.replace(/\$(\w+)/g, (_, v) => session[v] ?? '');
    for (const command of commands) {
      const args = command.args.map(expand);
      const env = {
        ...session,
        ...Object.fromEntries(Object.entries(command.env).map(([k, v]) => [k, expand(v)])),
      };
      if (args[0] === 'local' || args[0] === 'metadata') {
        // A fixed port may be taken on a test machine; the README's commands otherwise run as written.
        const running = serve(args.includes('--port') ? args : [...args, '--port', '0'], env, /Ctrl-C|_V4=/);
        stops.push(running.stop);
        const printed = await running.started;
        for (const [, name, value] of printed.matchAll(/^\s*(ECS_CONTAINER_METADATA_URI_V4)=(\S+)/gm))
          session[name as string] = value;
        expect(printed, command.line).toMatch(/http:\/\/127\.0\.0\.1:\d+/);
        continue;
      }
      const result: CliResult = await runCli(args, env);
      expect([result.code, result.stderr], command.line).toEqual([0, expect.any(String)]);
      expect(result.stdout + result.stderr, command.line).toMatch(
        /notified|"status":"notified"|"family":|family +\S+|^sent: /m,
      );
    }
    expect(sink.messages().length).toBeGreaterThanOrEqual(3);
  });
});
