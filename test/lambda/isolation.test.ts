import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlackSender } from '../../lambda/adapters/slack.js';
import { parseNotifierConfig } from '../../lambda/domain/config/config.js';
import type { TaskDefinitionAnswer } from '../../lambda/domain/task/task-definition.js';
import { createNotifier } from '../../lambda/notifier.js';
import { loadEvent } from '../support/fixtures.js';

/** A sender that keeps what it was given, as Slack would accept it. */
function recordingSender(): SlackSender & { texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    send: async (message) => {
      // What goes over the wire: a payload that cannot be serialised is as lost as a refused one.
      texts.push((JSON.parse(JSON.stringify(message)) as { text: string }).text);
    },
    capacityUntil: () => Number.POSITIVE_INFINITY,
  };
}

const ID = (n: number) => String(n).padStart(32, '0');

/** A valid failed stop of its own task and family, so that each is a message of its own. */
function validStop(n: number) {
  const event = loadEvent('ec2-stopped-failed');
  event.detail.taskArn = `arn:aws:ecs:us-east-2:444455556666:task/batch-b/${ID(n)}`;
  event.detail.taskDefinitionArn = `arn:aws:ecs:us-east-2:444455556666:task-definition/job-${n}:7`;
  return event;
}

/** Text no reader expects: lone surrogates, controls, bidi, markup, very long, or anything at all. */
const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '\ud800',
    'x\udfffy',
    'eu-west-1\ud800',
    '\u202e\u0000\u009b',
    '*a*_b_~c~',
    'x'.repeat(3000),
  ),
);
const oddValue = fc.oneof(oddText, fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 }));

/** Where a poisoned value goes: a field of the detail, a part of an ARN, or a container's field. */
const poison = fc.oneof(
  fc.record({
    field: fc.constantFrom(...Object.keys(loadEvent('ec2-stopped-failed').detail)),
    value: oddValue,
  }),
  fc.record({
    arn: fc.constantFrom('taskArn', 'clusterArn', 'taskDefinitionArn'),
    part: fc.integer({ min: 1, max: 5 }),
    value: oddText,
  }),
  fc.record({ container: fc.constantFrom('name', 'reason', 'exitCode', 'lastStatus'), value: oddValue }),
);

type Poison = typeof poison extends fc.Arbitrary<infer T> ? T : never;

/** A valid event of each other kind, each notified on its own (a service, a deployment, a call, a job). */
const KIND_FIXTURES = [
  'service/placement-failure-memory',
  'deployment/failed-circuit-breaker',
  'launch/run-task-resource-memory',
  'batch/failed-host-terminated',
] as const;

/** What a message of each names. */
const KIND_WORDS = [
  'web (service)',
  'deployment ecs-svc/',
  'RunTask of nightly-report:42',
  'job nightly-import',
];

/** Where a poisoned value goes in another kind's event: the envelope, the detail, or deeper. */
const kindPoison = fc.record({
  fixture: fc.constantFrom(...KIND_FIXTURES),
  path: fc.constantFrom(
    ['resources'],
    ['resources', 0],
    ['id'],
    ['time'],
    ['region'],
    ['account'],
    ['detail'],
    ['detail', 'eventName'],
    ['detail', 'reason'],
    ['detail', 'clusterArn'],
    ['detail', 'deploymentId'],
    ['detail', 'createdAt'],
    ['detail', 'requestParameters', 'cluster'],
    ['detail', 'requestParameters', 'taskDefinition'],
    ['detail', 'responseElements', 'failures', 0, 'reason'],
    ['detail', 'eventID'],
    ['detail', 'awsRegion'],
    ['detail', 'jobQueue'],
    ['detail', 'jobDefinition'],
    ['detail', 'statusReason'],
    ['detail', 'attempts', 0, 'container', 'taskArn'],
    ['detail', 'container', 'taskArn'],
    ['detail', 'createdAt'],
  ),
  value: oddValue,
});

/** The fixture made another of its kind (its own service, deployment, call or job), with `value` at `path`. */
function poisonedKind(p: { fixture: string; path: readonly (string | number)[]; value: unknown }): unknown {
  const event = loadEvent(p.fixture) as Record<string | number, unknown> & {
    detail: Record<string, unknown>;
  };
  event.resources = ['arn:aws:ecs:us-east-2:444455556666:service/batch-b/other'];
  Object.assign(event.detail, { deploymentId: 'ecs-svc/99', eventID: 'other-call', jobId: 'other-job' });
  delete event.detail.jobArn;
  let at: Record<string | number, unknown> = event;
  for (const key of p.path.slice(0, -1)) {
    const next = at[key];
    at[key] = next !== null && typeof next === 'object' ? next : {};
    at = at[key] as Record<string | number, unknown>;
  }
  at[p.path[p.path.length - 1] as string | number] = p.value;
  return event;
}

function poisoned(n: number, p: Poison): unknown {
  const event = validStop(n) as { detail: Record<string, unknown> };
  if ('field' in p) event.detail[p.field] = p.value;
  else if ('arn' in p) {
    const parts = String(event.detail[p.arn]).split(':');
    parts[p.part] = p.value;
    event.detail[p.arn] = parts.join(':');
  } else {
    const containers = event.detail.containers as Record<string, unknown>[];
    (containers[0] as Record<string, unknown>)[p.container] = p.value;
  }
  return event;
}

/** A task definition whose log group holds the odd text too: the links are built from it. */
const describeTaskDefinition =
  (group: string) =>
  async (taskDefinitionArn: string): Promise<TaskDefinitionAnswer> => ({
    kind: 'found',
    definition: {
      taskDefinitionArn,
      family: taskDefinitionArn.split('/')[1]?.split(':')[0] ?? 'x',
      revision: 7,
      containers: [
        {
          name: 'import',
          essential: true,
          logDriver: 'awslogs',
          logOptions: { 'awslogs-group': group, 'awslogs-region': 'us-east-2', 'awslogs-stream-prefix': 'x' },
        },
      ],
    },
  });

describe('one odd event among valid ones of every kind (property)', () => {
  it('never costs the valid events of its batch their messages, whatever field of whatever kind it spoils', async () => {
    const config = parseNotifierConfig({
      digestThreshold: 50,
      events: ['task', 'service', 'deployment', 'launch', 'batch'],
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(kindPoison, poison), fc.integer({ min: 0, max: 6 }), async (p, at) => {
        const sender = recordingSender();
        const notifier = createNotifier(config, { senderFor: () => sender });
        const events: unknown[] = [
          validStop(1),
          validStop(2),
          ...KIND_FIXTURES.map((name) => loadEvent(name)),
        ];
        events.splice(at, 0, 'fixture' in p ? poisonedKind(p) : poisoned(99, p));

        const results = await notifier.notify(events.map((event) => ({ event })));

        expect(results.filter((_, i) => i !== at).map((r) => r.status)).toEqual(Array(6).fill('notified'));
        for (const words of ['job-1:7', 'job-2:7', ...KIND_WORDS])
          expect(sender.texts.some((t) => t.replaceAll('\u2060', '').includes(words))).toBe(true);
        expect(['notified', 'skipped', 'rejected']).toContain(results[at]?.status);
      }),
      { numRuns: 300 },
    );
  });
});

describe('one odd event among valid ones (property)', () => {
  it('never costs the valid events of its batch their messages, whatever field it spoils', async () => {
    const config = parseNotifierConfig({ digestThreshold: 50 });
    await fc.assert(
      fc.asyncProperty(poison, oddText, fc.integer({ min: 0, max: 4 }), async (p, group, at) => {
        const sender = recordingSender();
        const notifier = createNotifier(config, {
          senderFor: () => sender,
          describeTaskDefinition: describeTaskDefinition(group),
        });
        const events: unknown[] = [1, 2, 3, 4].map(validStop);
        events.splice(at, 0, poisoned(99, p));

        const results = await notifier.notify(events.map((event) => ({ event })));

        const valid = results.filter((_, i) => i !== at);
        expect(valid.map((r) => r.status)).toEqual(['notified', 'notified', 'notified', 'notified']);
        for (const n of [1, 2, 3, 4]) expect(sender.texts.some((t) => t.includes(`job-${n}:7`))).toBe(true);
        // The odd one ends in a decision of its own, never in an error that would fail a batch.
        expect(['notified', 'skipped', 'rejected']).toContain(results[at]?.status);
      }),
      { numRuns: 400 },
    );
  });
});
