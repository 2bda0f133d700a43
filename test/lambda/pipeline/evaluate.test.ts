import { describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../../lambda/domain/config/config.js';
import { buildReportMessage } from '../../../lambda/domain/message/report-message.js';
import { evaluateEvents } from '../../../lambda/pipeline/evaluate.js';
import { loadEvent } from '../../support/fixtures.js';

const A = 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-a';

/** The Fargate fixture's stop, in its own subnet and with its own task ID. */
function stopIn(subnet: string, n: number) {
  const event = loadEvent('fargate-stopped-succeeded');
  event.detail.taskArn = `arn:aws:ecs:eu-west-1:111122223333:task/batch-a/${String(n).padStart(32, 'c')}`;
  event.detail.attachments = [{ type: 'eni', details: [{ name: 'subnetId', value: subnet }] }];
  return event;
}

describe('evaluateEvents', () => {
  it("leaves the other events untouched when one event's subnet lookup fails", async () => {
    const config = parseNotifierConfig({
      sources: [
        { label: 'vpc-a', clusterArn: A, vpcId: 'vpc-0a' },
        { label: 'vpc-b', clusterArn: A, vpcId: 'vpc-0b' },
      ],
    });
    const lookupVpc = async (subnet: string) => {
      if (subnet === 'subnet-0bad') throw new Error('EC2 DescribeSubnets failed for subnet-0bad: Throttling');
      return subnet === 'subnet-0aaa' ? 'vpc-0a' : 'vpc-0b';
    };

    const evaluations = await evaluateEvents(
      [stopIn('subnet-0aaa', 1), stopIn('subnet-0bad', 2), stopIn('subnet-0bbb', 3)],
      { config, lookupVpc },
    );

    expect(evaluations.map((e) => e.status)).toEqual(['ready', 'ready', 'ready']);
    const sources = evaluations.map((e) => (e.status === 'ready' ? e.report.source : undefined));
    expect(sources[0]).toMatchObject({ label: 'vpc-a' });
    expect(sources[1]).toMatchObject({
      label: 'batch-a (111122223333, eu-west-1)',
      note: expect.stringContaining('subnet-0bad: Throttling'),
    });
    expect(sources[2]).toMatchObject({ label: 'vpc-b' });
  });

  it('skips an event whose status is filtered out before requiring what only a message needs', async () => {
    const [running] = await evaluateEvents([loadEvent('spot-termination-partial')], {
      config: parseNotifierConfig({}),
    });
    expect(running).toEqual({
      status: 'skipped',
      reason: 'lastStatus RUNNING is not in notifyOn (STOPPED)',
    });
  });

  it('labels an unconfigured cluster from its ARN with nothing that formats in the notification text', async () => {
    const event = loadEvent('fargate-stopped-succeeded');
    event.detail.clusterArn = 'arn:aws:ecs:eu-west-1:*acct*:cluster/_batch_';
    event.detail.taskArn = `arn:aws:ecs:eu-west-1:*acct*:task/_batch_/${'d'.repeat(32)}`;

    const [evaluation] = await evaluateEvents([event], { config: parseNotifierConfig({}) });

    if (evaluation?.status !== 'ready') throw new Error(`expected ready, got ${evaluation?.status}`);
    expect(evaluation.report.source.label).toBe('_batch_ (*acct*, eu-west-1)');
    const { text } = buildReportMessage(evaluation.report);
    expect(text).toContain('ˍbatchˍ (∗acct∗, eu-west-1)');
    // Our own emoji code leads; after it, nothing bold, italic, struck or code.
    expect(text.replace(/^:[a-z_]+: /, '')).not.toMatch(/[*_~`]/);
  });

  it('rejects an event whose ARN names no region, naming the field', async () => {
    const event = loadEvent('fargate-stopped-succeeded');
    event.detail.taskArn = `arn:aws:ecs:eu-*b*_i_~s~:111122223333:task/batch-a/${'e'.repeat(32)}`;

    const [evaluation] = await evaluateEvents([event], { config: parseNotifierConfig({}) });

    expect(evaluation).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^detail\.taskArn /),
    });
  });
});
