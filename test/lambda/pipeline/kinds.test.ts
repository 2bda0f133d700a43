import { describe, expect, it } from 'vitest';
import type { DescribeServicesFn } from '../../../lambda/adapters/ecs-services.js';
import { parseNotifierConfig } from '../../../lambda/domain/config/config.js';
import type { Report } from '../../../lambda/domain/report/report.js';
import { type EvaluateDeps, type Evaluation, evaluateEvents } from '../../../lambda/pipeline/evaluate.js';
import { loadEvent } from '../../support/fixtures.js';
import { savedJobs, savedServices as servicesOrNotRun } from '../../support/kind-reports.js';

/** DescribeServices answering from the saved output; `MISSING` for any other service. */
const savedServices: DescribeServicesFn = async (cluster, region, arns) => {
  const known = await servicesOrNotRun(cluster, region, arns);
  return new Map(
    arns.map((arn) => {
      const answer = known.get(arn);
      return [
        arn,
        answer && answer.kind !== 'not-run' ? answer : { kind: 'missing', reason: 'MISSING' },
      ] as const;
    }),
  );
};

const EAST = 'arn:aws:ecs:us-east-2:444455556666:cluster/batch-b';
const QUEUE = 'arn:aws:batch:us-east-2:444455556666:job-queue/nightly-spot';
const KINDS = ['task', 'service', 'deployment', 'launch', 'batch'] as const;

const config = parseNotifierConfig({
  events: [...KINDS],
  sources: [
    { label: 'batch (vpc-b)', clusterArn: EAST, vpcId: 'vpc-0b2c3d4e', jobQueues: [QUEUE] },
    { label: 'batch (vpc-a)', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-a' },
  ],
});

async function evaluate(event: unknown, deps: Partial<EvaluateDeps> = {}): Promise<Evaluation> {
  const [evaluation] = await evaluateEvents([event], { config, ...deps });
  return evaluation as Evaluation;
}

function ready(evaluation: Evaluation): Report {
  if (evaluation.status !== 'ready') throw new Error(`expected ready, got ${JSON.stringify(evaluation)}`);
  return evaluation.report;
}

describe('service events through the pipeline', () => {
  it('names the revision DescribeServices gives, confirmed', async () => {
    const report = ready(
      await evaluate(loadEvent('service/placement-failure-memory'), { describeServices: savedServices }),
    );

    expect(report).toMatchObject({
      kind: 'service',
      outcome: 'failed',
      crossCheck: { status: 'confirmed', described: { family: 'web', revision: 12 } },
    });
    expect(report.source.label).toBe('batch (vpc-b)');
  });

  it('says a service DescribeServices does not know is missing, and notifies it still', async () => {
    const event = loadEvent('service/placement-failure-fargate-spot');

    expect(ready(await evaluate(event, { describeServices: savedServices })).crossCheck).toEqual({
      status: 'missing',
      detail: 'MISSING',
    });
  });

  it('tells the sources of a shared cluster apart by the subnets DescribeServices names', async () => {
    const shared = parseNotifierConfig({
      events: ['service'],
      sources: [
        { label: 'vpc-a', clusterArn: EAST, subnetIds: ['subnet-0a1b2c3d'] },
        { label: 'vpc-b', clusterArn: EAST, subnetIds: ['subnet-0b2c3d4e'] },
      ],
    });
    const event = loadEvent('service/placement-failure-memory');

    expect(
      ready(await evaluate(event, { config: shared, describeServices: savedServices })).source.label,
    ).toBe('vpc-b');
    const unchecked = ready(await evaluate(event, { config: shared }));
    expect(unchecked.source).toMatchObject({ label: 'batch-b (444455556666, us-east-2)', configured: true });
    expect(unchecked.source.note).toMatch(/^could not tell which source: /);
  });
});

describe('deployment events through the pipeline', () => {
  it('names the failed revision and the one the service rolled back to', async () => {
    const report = ready(
      await evaluate(loadEvent('deployment/failed-circuit-breaker'), { describeServices: savedServices }),
    );

    expect(report.crossCheck).toEqual({ status: 'confirmed', described: { family: 'web', revision: 13 } });
  });

  it('says DescribeServices no longer lists a deployment it has forgotten', async () => {
    const event = loadEvent('deployment/failed-circuit-breaker');
    event.detail.deploymentId = 'ecs-svc/1';

    expect(ready(await evaluate(event, { describeServices: savedServices })).crossCheck).toEqual({
      status: 'missing',
      detail: 'DescribeServices no longer lists deployment ecs-svc/1',
    });
  });
});

describe('RunTask calls through the pipeline', () => {
  it('are failures nothing can cross-check, from the source of the cluster they named', async () => {
    const report = ready(await evaluate(loadEvent('launch/run-task-resource-memory')));

    expect(report).toMatchObject({ kind: 'launch', outcome: 'failed', crossCheck: { status: 'not-run' } });
    expect(report.source.label).toBe('batch (vpc-a)');
  });
});

describe('Batch jobs through the pipeline', () => {
  it('are told by their queue even before they got a task', async () => {
    const event = loadEvent('batch/runnable-placeholder-account');
    Object.assign(event.detail, { status: 'FAILED', jobQueue: QUEUE, statusReason: 'Dependent Job failed' });

    expect(ready(await evaluate(event)).source).toEqual({
      label: 'batch (vpc-b)',
      configured: true,
      vpcId: 'vpc-0b2c3d4e',
    });
  });

  it('are labelled by queue, account and region when no source is theirs', async () => {
    expect(ready(await evaluate(loadEvent('batch/failed-exit-code'))).source).toEqual({
      label: 'exports (444455556666, us-east-2)',
      configured: false,
    });
  });

  it('take what DescribeJobs adds (the log group), and confirm the job definition', async () => {
    const report = ready(await evaluate(loadEvent('batch/failed-exit-code'), { describeJobs: savedJobs }));

    expect(report.crossCheck).toEqual({
      status: 'confirmed',
      described: { family: 'customer-export', revision: 12 },
    });
    expect(report.kind === 'batch' && report.job.logGroup).toBe('/batch/exports');
  });

  it('show a mismatch when DescribeJobs names another job definition revision', async () => {
    const event = loadEvent('batch/failed-exit-code');
    event.detail.jobDefinition = 'arn:aws:batch:us-east-2:444455556666:job-definition/customer-export:11';

    expect(ready(await evaluate(event, { describeJobs: savedJobs })).crossCheck).toMatchObject({
      status: 'mismatch',
      detail: 'DescribeJobs names customer-export:12, the event customer-export:11',
    });
  });
});

describe('an event of a kind not in events', () => {
  it('is skipped, saying which kind', async () => {
    const evaluation = await evaluate(loadEvent('batch/failed-exit-code'), {
      config: { ...config, events: ['task'] },
    });

    expect(evaluation).toEqual({
      status: 'skipped',
      reason: 'a batch event: "batch" is not in events (task)',
    });
  });
});
