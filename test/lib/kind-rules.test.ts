import { describe, expect, test } from 'vitest';
import { parseNotifierConfig } from '../../lambda/domain/config/config.js';
import { evaluateEvents } from '../../lambda/pipeline/evaluate.js';
import { renderedEventPattern } from '../../lib/event-pattern.js';
import { type NotifierRule, notifierRules } from '../../lib/kind-rules.js';
import { eventPatternSize } from '../../lib/quotas.js';
import { loadEvent } from '../support/fixtures.js';
import { patternMatches } from './pattern-matcher.js';

const EAST = 'arn:aws:ecs:us-east-2:444455556666:cluster/batch-b';
const WEST = 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-a';
const QUEUE = 'arn:aws:batch:us-east-2:444455556666:job-queue/nightly-spot';
const KINDS = ['task', 'service', 'deployment', 'launch', 'batch'] as const;

const config = parseNotifierConfig({
  events: [...KINDS],
  sources: [
    { label: 'batch (vpc-b)', clusterArn: EAST, jobQueues: [QUEUE] },
    { label: 'batch (vpc-a)', clusterArn: WEST },
  ],
});

const FIXTURES = {
  service: ['placement-failure-memory', 'placement-failure-fargate-spot', 'start-impaired', 'steady-state'],
  deployment: ['failed-circuit-breaker', 'rollback-in-progress', 'in-progress', 'completed'],
  launch: ['run-task-resource-memory', 'run-task-error', 'run-task-launched'],
  batch: ['failed-host-terminated', 'runnable-placeholder-account'],
} as const;

const letIn = (rules: readonly NotifierRule[], event: unknown) =>
  rules.some((rule) => patternMatches(renderedEventPattern(rule.pattern), event));

async function notified(event: unknown): Promise<boolean> {
  const [evaluation] = await evaluateEvents([event], { config });
  return evaluation?.status === 'ready';
}

/** The events of a kind: its fixtures, and variations the rule must judge as the Lambda does. */
function eventsOf(kind: keyof typeof FIXTURES): { name: string; event: Record<string, unknown> }[] {
  const events: { name: string; event: Record<string, unknown> }[] = FIXTURES[kind].map((name) => ({
    name,
    event: loadEvent(`${kind}/${name}`),
  }));
  const variant = (name: string, from: string, change: (e: ReturnType<typeof loadEvent>) => void) => {
    const event = loadEvent(`${kind}/${from}`);
    change(event);
    events.push({ name, event });
  };
  if (kind === 'deployment')
    variant('an alarm rollback', 'in-progress', (e) => {
      e.detail.reason = 'ECS deployment alarm my-alarm: rolling back to deploymentId ecs-svc/1.';
    });
  if (kind === 'launch') {
    variant('a null errorCode', 'run-task-launched', (e) => {
      e.detail.errorCode = null;
    });
    variant('a failure without a reason', 'run-task-launched', (e) => {
      e.detail.responseElements = { tasks: [], failures: [{ arn: 'x' }] };
    });
    variant('a cluster named by ARN', 'run-task-error', (e) => {
      (e.detail.requestParameters as Record<string, unknown>).cluster = WEST;
    });
  }
  if (kind === 'batch') {
    variant(
      'a job that failed before it got a task, in a configured queue',
      'runnable-placeholder-account',
      (e) => {
        e.detail.jobQueue = QUEUE;
        e.detail.status = 'FAILED';
        e.detail.statusReason = 'CannotCreateContainerError: image not found';
      },
    );
    variant('a job that succeeded', 'failed-host-terminated', (e) => {
      e.detail.status = 'SUCCEEDED';
    });
  }
  return events;
}

describe('the rules of each kind', () => {
  const rules = notifierRules(config);

  test.each(['service', 'deployment', 'launch', 'batch'] as const)(
    'let in exactly the %s events of the configured clusters that the Lambda notifies',
    async (kind) => {
      const judged = await Promise.all(
        eventsOf(kind).map(async ({ name, event }) => ({
          name,
          rule: letIn(rules, event),
          lambda: await notified(event),
        })),
      );

      expect(judged.filter((j) => j.rule !== j.lambda)).toEqual([]);
      expect(judged.some((j) => j.lambda)).toBe(true);
      expect(judged.some((j) => !j.lambda)).toBe(true);
    },
  );

  test('keep out the events of a cluster that is not configured', () => {
    const other = (e: ReturnType<typeof loadEvent>) =>
      JSON.parse(JSON.stringify(e).replaceAll('batch-b', 'batch-z'));

    expect(letIn(rules, other(loadEvent('service/placement-failure-memory')))).toBe(false);
    expect(letIn(rules, other(loadEvent('deployment/failed-circuit-breaker')))).toBe(false);
    const job = loadEvent('batch/failed-exit-code');
    expect(letIn(rules, job)).toBe(false);
  });

  test('are made only for the kinds in events, the task rules keeping their IDs', () => {
    expect(notifierRules({ ...config, events: ['task'] }).map((r) => r.id)).toEqual(['TaskEvents']);
    expect(notifierRules({ ...config, events: ['deployment', 'batch'] }).map((r) => r.id)).toEqual([
      'DeploymentEvents',
      'BatchJobFailures',
    ]);
  });

  test('let in a RunTask that names no cluster only when a configured cluster is called default', () => {
    const event = loadEvent('launch/run-task-error');
    delete (event.detail.requestParameters as Record<string, unknown>).cluster;
    const withDefault = {
      ...config,
      sources: [{ label: 'd', clusterArn: WEST.replace('batch-a', 'default') }],
    };

    expect(letIn(notifierRules(config), event)).toBe(false);
    expect(letIn(notifierRules(withDefault), event)).toBe(true);
  });

  test('match Batch jobs by cluster alone where no source lists a job queue', () => {
    const [rule] = notifierRules({
      ...config,
      events: ['batch'],
      sources: [{ label: 'a', clusterArn: EAST }],
    });

    expect(rule?.pattern.detail).toEqual({
      status: ['FAILED'],
      container: { taskArn: [{ prefix: 'arn:aws:ecs:us-east-2:444455556666:task/batch-b/' }] },
    });
  });

  test('split over several rules within 2,048 characters, letting in what one rule would', () => {
    const many = parseNotifierConfig({
      events: [...KINDS],
      sources: Array.from({ length: 60 }, (_, i) => ({
        label: `s${i}`,
        clusterArn: `arn:aws:ecs:us-east-2:444455556666:cluster/nightly-batch-processing-${i}`,
        jobQueues: [`arn:aws:batch:us-east-2:444455556666:job-queue/nightly-batch-processing-${i}`],
      })),
    });
    const split = notifierRules(many);
    const single = notifierRules(many, Number.POSITIVE_INFINITY);
    const events = (['service', 'deployment', 'launch', 'batch'] as const).flatMap((kind) =>
      eventsOf(kind).map(({ event }) =>
        JSON.parse(
          JSON.stringify(event)
            .replaceAll('batch-b', 'nightly-batch-processing-59')
            .replaceAll('batch-a', 'nightly-batch-processing-0'),
        ),
      ),
    );

    for (const kind of ['ServiceEvents', 'DeploymentEvents', 'LaunchFailures', 'BatchJobFailures'])
      expect(split.filter((r) => r.id.startsWith(kind)).length).toBeGreaterThan(1);
    for (const rule of split)
      expect(eventPatternSize(renderedEventPattern(rule.pattern))).toBeLessThanOrEqual(2048);
    expect(events.map((e) => letIn(split, e))).toEqual(events.map((e) => letIn(single, e)));
    expect(events.some((e) => letIn(split, e))).toBe(true);
  });
});
