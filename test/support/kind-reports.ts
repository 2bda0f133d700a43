import type { DescribeJobsFn } from '../../lambda/adapters/batch.js';
import type { DescribeServicesFn } from '../../lambda/adapters/ecs-services.js';
import { readJobsAnswer } from '../../lambda/domain/batch/describe-jobs.js';
import { parseNotifierConfig } from '../../lambda/domain/config/config.js';
import type { Lookup } from '../../lambda/domain/report/cross-check.js';
import type { Report } from '../../lambda/domain/report/report.js';
import { readServicesAnswer, type ServiceFacts } from '../../lambda/domain/service/service-facts.js';
import { evaluateEvents } from '../../lambda/pipeline/evaluate.js';
import { loadEvent, loadFixture } from './fixtures.js';

/** The sources the kinds' fixtures come from. */
export const KIND_CONFIG = parseNotifierConfig({
  events: ['task', 'service', 'deployment', 'launch', 'batch'],
  sources: [
    {
      label: 'batch (vpc-b)',
      clusterArn: 'arn:aws:ecs:us-east-2:444455556666:cluster/batch-b',
      vpcId: 'vpc-0b2c3d4e',
      jobQueues: ['arn:aws:batch:us-east-2:444455556666:job-queue/nightly-spot'],
    },
    {
      label: 'batch (vpc-a)',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-a',
      vpcId: 'vpc-0a1b2c3d',
    },
  ],
});

/** DescribeServices answering from `describe-services/web-rolled-back.json`. */
export const savedServices: DescribeServicesFn = async (_cluster, _region, arns) => {
  const known = new Map<string, Lookup<ServiceFacts>>();
  readServicesAnswer(loadFixture('describe-services/web-rolled-back.json'), known);
  return new Map(arns.map((arn) => [arn, known.get(arn) ?? { kind: 'not-run' }] as const));
};

/** DescribeJobs answering from `describe-jobs/failed-exit-code.json`. */
export const savedJobs: DescribeJobsFn = async (_region, _account, ids) => {
  const known = new Map<string, Lookup<never>>();
  readJobsAnswer(loadFixture('describe-jobs/failed-exit-code.json'), known as never);
  return new Map(ids.map((id) => [id, known.get(id) ?? { kind: 'not-run' }] as const));
};

/**
 * The report the pipeline makes of a kind's fixture (`service/start-impaired`), cross-checked
 * from the saved outputs unless `checked` is false; `change` edits the event first.
 */
export async function kindReport(
  name: string,
  {
    checked = true,
    change,
  }: { checked?: boolean; change?: (event: ReturnType<typeof loadEvent>) => void } = {},
): Promise<Report> {
  const event = loadEvent(name);
  change?.(event);
  const [evaluation] = await evaluateEvents([event], {
    config: KIND_CONFIG,
    ...(checked ? { describeServices: savedServices, describeJobs: savedJobs } : {}),
  });
  if (evaluation?.status !== 'ready') throw new Error(`fixture ${name}: ${JSON.stringify(evaluation)}`);
  return evaluation.report;
}
