import { type ChildProcess, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { BIN, type CliResult, REPO_ROOT, runCli } from '../support/cli.js';
import { startSqsQueues } from '../support/sqs-queues.js';

/** One `npx ecs-task-notifier …` or `npm …` line of a shell block, as a user would type it. */
interface DocCommand {
  line: string;
  env: Record<string, string>;
  /** `npx ecs-task-notifier` or `npm`. */
  tool: 'cli' | 'npm';
  args: string[];
  /** The file a `> FILE` at the end of the line writes stdout to. */
  stdoutTo?: string;
}

/** The README and every page under docs/, each with its commands. */
const DOCS = [
  'README.md',
  ...readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Every command of a page's `sh` blocks, continuation lines joined, in order. */
function commandsOf(file: string): DocCommand[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const lines = blocks.flatMap((block) => block.replace(/\\\n\s*/g, '').split('\n'));
  return lines.flatMap((line): DocCommand[] => {
    const words = shellWords(line);
    const redirect = words.indexOf('>');
    const stdoutTo = redirect === -1 ? undefined : words[redirect + 1];
    const command = redirect === -1 ? words : words.slice(0, redirect);
    const npx = command.indexOf('npx');
    if (npx !== -1 && command[npx + 1] === 'ecs-task-notifier')
      return [
        {
          line,
          env: envOf(command.slice(0, npx)),
          tool: 'cli',
          args: command.slice(npx + 2),
          ...(stdoutTo ? { stdoutTo } : {}),
        },
      ];
    const npm = command.indexOf('npm');
    if (npm !== -1)
      return [{ line, env: envOf(command.slice(0, npm)), tool: 'npm', args: command.slice(npm + 1) }];
    return [];
  });
}

function envOf(words: string[]): Record<string, string> {
  return Object.fromEntries(words.map((w) => w.split(/=(.*)/s).slice(0, 2)));
}

/** Splits a line as sh would: quotes, `#` comments, `&&`; `$VAR` is left for the caller to expand. */
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
  return words.includes('&&') ? words.slice(words.lastIndexOf('&&') + 1) : words;
}

/** Starts a serving command, collecting what it prints until `ready` matches a line. */
function serve(args: string[], env: NodeJS.ProcessEnv, cwd: string, ready: RegExp) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd, env });
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

const SCRIPTS = Object.keys(
  (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts,
);
/** The local services' default Slack sink, as the pages name it: the test's own sink stands in. */
const DEFAULT_SINK = 'http://127.0.0.1:8172';

let sink: SlackSink;
let sqs: Awaited<ReturnType<typeof startSqsQueues>>;
let work: string;
const stops: (() => void)[] = [];
beforeAll(async () => {
  sink = await startSlackSink();
  // The queues `redrive` names in docs/deploy.md, the forwarder's holding two dead letters.
  sqs = await startSqsQueues({
    'EcsTaskEventForwarder-ForwardDeadLetterQueue': ['{"n":1}', '{"n":2}'],
    'EcsTaskNotifier-EventQueue': [],
  });
  // The pages' relative paths (examples/…) and the files they write, in a folder of their own.
  work = mkdtempSync(path.join(tmpdir(), 'docs-commands-'));
  symlinkSync(path.join(REPO_ROOT, 'examples'), path.join(work, 'examples'));
  // docs/events.md replays the repository's own fixtures of each kind.
  mkdirSync(path.join(work, 'test'));
  symlinkSync(path.join(REPO_ROOT, 'test', 'fixtures'), path.join(work, 'test', 'fixtures'));
  // The profiles the pages name, for the SQS stand-in (which checks no signature).
  writeFileSync(
    path.join(work, 'credentials'),
    '[default]\naws_access_key_id = local\naws_secret_access_key = local\n\n[partner]\naws_access_key_id = partner\naws_secret_access_key = partner\n',
  );
});
afterAll(async () => {
  for (const stop of stops) stop();
  await Promise.all([sink.close(), sqs.close()]);
  rmSync(work, { recursive: true, force: true });
});

describe('the README and docs/', () => {
  it('show every command of the CLI somewhere', () => {
    const shown = new Set(DOCS.flatMap(commandsOf).flatMap((c) => (c.tool === 'cli' ? [c.args[0]] : [])));
    expect(shown).toEqual(
      new Set(['--help', 'replay', 'storm', 'local', 'metadata', 'whoami', 'notify', 'redrive']),
    );
  });

  it('name only npm scripts package.json has', () => {
    const named = DOCS.flatMap(commandsOf).flatMap((c) =>
      c.tool === 'npm' && c.args[0] === 'run'
        ? [c.args[1] as string]
        : c.tool === 'npm' && c.args[0] === 'start'
          ? ['start']
          : [],
    );
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((script) => !SCRIPTS.includes(script))).toEqual([]);
  });

  it.each(DOCS.filter((file) => commandsOf(file).some((c) => c.tool === 'cli')))(
    'runs every ecs-task-notifier command of %s as written, in order, and each one works',
    async (file) => {
      // What a page sets up for the lines after it: the webhook, the metadata endpoint.
      const session: NodeJS.ProcessEnv = {
        ...process.env,
        NOTIFIER_CONFIG: undefined,
        SLACK_WEBHOOK_URL: sink.hookUrl,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_PROFILE: undefined,
        HOME: REPO_ROOT,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_SQS: sqs.url,
        AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'credentials'),
        AWS_CONFIG_FILE: path.join(work, 'no-config'),
      };
      const expand = (word: string) =>
        word === '...'
          ? (session.SLACK_WEBHOOK_URL ?? '')
          : word.replaceAll(DEFAULT_SINK, sink.url).replace(/\$(\w+)/g, (_, v) => session[v] ?? '');
      for (const command of commandsOf(file).filter((c) => c.tool === 'cli')) {
        const args = command.args.map(expand);
        const env = {
          ...session,
          ...Object.fromEntries(Object.entries(command.env).map(([k, v]) => [k, expand(v)])),
        };
        if (args[0] === 'local' || args[0] === 'metadata') {
          // A fixed port may be taken on a test machine; the commands otherwise run as written.
          const withPort = args.includes('--port') ? args : [...args, '--port', '0'];
          const running = serve(withPort, env, work, /Ctrl-C|_V4=/);
          stops.push(running.stop);
          const printed = await running.started;
          for (const [, name, value] of printed.matchAll(/^\s*(ECS_CONTAINER_METADATA_URI_V4)=(\S+)/gm))
            session[name as string] = value;
          expect(printed, command.line).toMatch(/http:\/\/127\.0\.0\.1:\d+/);
          continue;
        }
        const result: CliResult = await runCli(args, env, work);
        expect([result.code, result.stderr], command.line).toEqual([0, expect.any(String)]);
        if (command.stdoutTo) {
          writeFileSync(path.join(work, command.stdoutTo), result.stdout);
          expect(result.stdout.trim().length, command.line).toBeGreaterThan(0);
          continue;
        }
        expect(result.stdout + result.stderr, command.line).toMatch(
          args[0] === '--help'
            ? /^Commands:/m
            : args[0] === 'redrive'
              ? /^(moved [1-9]\d* messages; 0 left|would move about [1-9])/m
              : /notified|"status":"notified"|"family":|family +\S+|^sent: /m,
        );
      }
    },
  );
});
