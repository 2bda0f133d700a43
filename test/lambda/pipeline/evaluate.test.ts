import { describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../../lambda/domain/config.js';
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
});
