import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcsApi } from '../../local/ecs-api.js';
import type { RunningServer } from '../../local/http.js';
import { type LogsApi, startLogsApi } from '../../local/logs-api.js';
import { toWire } from '../support/aws-stand-ins.js';
import { jsonLines, REPO_ROOT, runCli, runMain } from '../support/cli.js';
import { AWS_TEST_ENV } from '../support/handler-harness.js';

const example = (name: string) => join(REPO_ROOT, 'examples', name);
const EVENT = example('events/customer-import-failed.json');
const TASK_DEFINITION = example('task-definition.json');
const LOG_EVENTS = example('log-events.json');
const TASK_ID = '5d4c3b2a190817f6e5d4c3b2a1908f7e';
/** The example's two streams, as its task definition names them. */
const STREAMS = { import: `ecs/import/${TASK_ID}`, router: `ecs/log-router/${TASK_ID}` };

const dir = mkdtempSync(join(tmpdir(), 'replay-logs-'));
const write = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

/** The example stop, and the same job's next run with a task ID of its own. */
const OTHER_ID = 'ffffffffffffffffffffffffffffffff';
const TWO_STOPS = write(
  'two-stops.json',
  `[${readFileSync(EVENT, 'utf8')}, ${readFileSync(EVENT, 'utf8').replaceAll(TASK_ID, OTHER_ID)}]`,
);

type Message = { attachments: { blocks: unknown[] }[] };
const lastLines = (line: Record<string, unknown>) =>
  JSON.stringify(
    (line.message as Message).attachments[0]?.blocks.filter(
      (b) => (b as { type: string }).type === 'rich_text',
    ),
  );

describe('replay --task-definition --logs (saved files)', () => {
  it('puts each container log link and the failed container last lines in the message', async () => {
    const { code, stdout } = await runCli([
      'replay',
      '--dry-run',
      '--json',
      '--task-definition',
      TASK_DEFINITION,
      '--logs',
      LOG_EVENTS,
      EVENT,
    ]);

    expect(code).toBe(0);
    const [line] = jsonLines(stdout);
    expect(line?.logs).toEqual({ links: 2, tail: 'shown' });
    const message = JSON.stringify(line?.message);
    expect(message).toContain(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Fecs$252Fcustomer-import/log-events/ecs$252Fimport$252F5d4c3b2a190817f6e5d4c3b2a1908f7e|log stream>',
    );
    expect(lastLines(line ?? {})).toContain('ERROR could not allocate 268435456 bytes for the merge buffer');
    // The example's colour codes are gone.
    expect(lastLines(line ?? {})).not.toContain('\\u001b');
  });

  it('answers for one stream only with --logs STREAM=FILE', async () => {
    const { code, stdout } = await runMain([
      'replay',
      '--dry-run',
      '--json',
      '--task-definition',
      TASK_DEFINITION,
      '--logs',
      `${STREAMS.import}=${LOG_EVENTS}`,
      TWO_STOPS,
    ]);

    expect(code).toBe(0);
    expect(jsonLines(stdout).map((l) => l.logs)).toEqual([
      { links: 2, tail: 'shown' },
      { links: 2, tail: 'off' },
    ]);
  });

  it('links the streams but shows no tail with --task-definition alone, and says nothing alarming', async () => {
    const { stdout } = await runMain([
      'replay',
      '--dry-run',
      '--json',
      '--task-definition',
      TASK_DEFINITION,
      EVENT,
    ]);

    const [line] = jsonLines(stdout);
    expect(line?.logs).toEqual({ links: 2, tail: 'off' });
    expect(JSON.stringify(line?.message)).not.toMatch(/Log tail|No log|grey_question/);
  });

  it('has no links and no tail without them, nor for a task the saved task definitions do not hold', async () => {
    const other = write('other-task-definition.json', {
      taskDefinition: {
        ...JSON.parse(readFileSync(TASK_DEFINITION, 'utf8')).taskDefinition,
        taskDefinitionArn: 'arn:aws:ecs:eu-west-1:210987654321:task-definition/customer-import:6',
        revision: 6,
      },
    });
    const without = await runMain(['replay', '--dry-run', '--json', EVENT]);
    const unmatched = await runMain(['replay', '--dry-run', '--json', '--task-definition', other, EVENT]);

    for (const { stdout } of [without, unmatched]) {
      const [line] = jsonLines(stdout);
      expect(line?.logs).toEqual({ links: 0, tail: 'off' });
      expect(JSON.stringify(line?.message)).not.toMatch(/log stream|Log tail|No log/);
    }
  });

  it('says what became of the logs in the readable line', async () => {
    const { stdout } = await runMain([
      'replay',
      '--dry-run',
      '--task-definition',
      TASK_DEFINITION,
      '--logs',
      LOG_EVENTS,
      EVENT,
    ]);

    expect(stdout).toMatch(/customer-import:7 .* logs: 2 links, tail shown$/m);
  });

  it('names a saved file that is not what it should be, on its first line, exit 2', async () => {
    const notLogs = write('not-logs.json', { tasks: [] });
    const notDefinition = write('not-definition.json', { taskDefinition: { family: 'x' } });

    const logs = await runMain([
      'replay',
      '--dry-run',
      '--task-definition',
      TASK_DEFINITION,
      '--logs',
      notLogs,
      EVENT,
    ]);
    const definition = await runMain(['replay', '--dry-run', '--task-definition', notDefinition, EVENT]);

    expect(logs.code).toBe(2);
    expect(logs.stderr.split('\n')[0]).toContain(
      `--logs ${notLogs}: expected 'aws logs get-log-events' output`,
    );
    expect(definition.code).toBe(2);
    expect(definition.stderr).toContain(
      `--task-definition ${notDefinition}: expected 'aws ecs describe-task-definition' output`,
    );
    expect(definition.stderr).toContain('taskDefinition.taskDefinitionArn is required');
  });

  it('refuses --logs without --task-definition, and saved files with --aws', async () => {
    const alone = await runMain(['replay', '--dry-run', '--logs', LOG_EVENTS, EVENT]);
    const mixed = await runMain([
      'replay',
      '--dry-run',
      '--aws',
      '--task-definition',
      TASK_DEFINITION,
      EVENT,
    ]);

    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--logs needs --task-definition FILE');
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('use either --aws or --task-definition and --logs, not both');
  });

  it('documents both options in --help', async () => {
    const { stdout } = await runMain(['replay', '--help']);

    expect(stdout).toContain('--task-definition FILE');
    expect(stdout).toContain('--logs STREAM=FILE');
  });
});

// Through the built CLI, in processes of their own: the endpoints come from the environment.
describe('replay --aws reads task definitions and log tails for real', () => {
  let ecs: RunningServer;
  let logs: LogsApi;
  beforeAll(async () => {
    ecs = await startEcsApi({
      tasks: [],
      // Saved CLI v2 output has ISO timestamps; the wire carries epoch seconds.
      taskDefinitions: [toWire(JSON.parse(readFileSync(TASK_DEFINITION, 'utf8')).taskDefinition)],
    });
    const events = JSON.parse(readFileSync(LOG_EVENTS, 'utf8')).events;
    logs = await startLogsApi({
      streams: [{ group: '/ecs/customer-import', stream: STREAMS.import, events }],
    });
  });
  afterAll(() => Promise.all([ecs.close(), logs.close()]));

  const env = () => ({
    ...AWS_TEST_ENV,
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url,
  });

  it('reads the tail from a group logGroups names', async () => {
    const config = write('with-groups.json', { logGroups: ['/ecs/customer-*'] });

    const { code, stdout } = await runCli(
      ['replay', '--aws', '--dry-run', '--json', '--config', config, EVENT],
      env(),
    );

    expect(code).toBe(0);
    expect(jsonLines(stdout)[0]?.logs).toEqual({ links: 2, tail: 'shown' });
    expect(logs.requests.map((r) => r.input.logStreamName)).toContain(STREAMS.import);
  });

  it('reads no log at all when the configuration names no log group', async () => {
    const before = logs.requests.length;

    const { stdout } = await runCli(['replay', '--aws', '--dry-run', '--json', EVENT], env());

    expect(jsonLines(stdout)[0]?.logs).toEqual({ links: 2, tail: 'off' });
    expect(logs.requests.length).toBe(before);
  });
});
