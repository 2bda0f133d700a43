import { describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../../../lambda/domain/config/config.js';
import { needsVpcLookup, resolveSource } from '../../../../lambda/domain/report/source.js';
import { taskFrom } from '../../../support/reports.js';

const A = 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-a';

describe('resolveSource', () => {
  it('matches a configured source by cluster ARN', async () => {
    const config = parseNotifierConfig({
      sources: [{ label: 'batch (vpc-a)', clusterArn: A, vpcId: 'vpc-0a1b2c3d' }],
    });
    expect(await resolveSource(taskFrom('fargate-stopped-succeeded'), config)).toEqual({
      source: { label: 'batch (vpc-a)', configured: true, vpcId: 'vpc-0a1b2c3d' },
    });
  });

  it('labels a cluster that is not configured by its name, account and region', async () => {
    expect(await resolveSource(taskFrom('ec2-stopped-failed'), parseNotifierConfig({}))).toEqual({
      source: { label: 'batch-b (444455556666, us-east-2)', configured: false },
    });
  });

  it('tells two sources sharing a cluster apart by the task ENI subnet', async () => {
    const config = parseNotifierConfig({
      sources: [
        { label: 'vpc-a', clusterArn: A, subnetIds: ['subnet-0bbb2222'] },
        { label: 'vpc-b', clusterArn: A, subnetIds: ['subnet-0aaa1111'] },
      ],
    });
    expect(await resolveSource(taskFrom('fargate-stopped-succeeded'), config)).toMatchObject({
      source: { label: 'vpc-b' },
    });
  });

  it('resolves the subnet to its VPC when sources sharing a cluster give only vpcId', async () => {
    const config = parseNotifierConfig({
      sources: [
        { label: 'vpc-a', clusterArn: A, vpcId: 'vpc-0a' },
        { label: 'vpc-b', clusterArn: A, vpcId: 'vpc-0b' },
      ],
    });
    const asked: string[] = [];
    const lookup = async (subnet: string, region: string) => {
      asked.push(`${region}/${subnet}`);
      return 'vpc-0b';
    };
    expect(needsVpcLookup(config)).toBe(true);
    expect(await resolveSource(taskFrom('fargate-stopped-succeeded'), config, lookup)).toMatchObject({
      source: { label: 'vpc-b', vpcId: 'vpc-0b' },
    });
    expect(asked).toEqual(['eu-west-1/subnet-0aaa1111']);
  });

  it('labels a task by its cluster, naming the failure, when the subnet lookup fails', async () => {
    const config = parseNotifierConfig({
      sources: [
        { label: 'vpc-a', clusterArn: A, vpcId: 'vpc-0a' },
        { label: 'vpc-b', clusterArn: A, vpcId: 'vpc-0b' },
      ],
    });
    const failing = async () => {
      throw new Error('EC2 DescribeSubnets failed for subnet-0aaa1111: AccessDeniedException (HTTP 403)');
    };
    expect(await resolveSource(taskFrom('fargate-stopped-succeeded'), config, failing)).toEqual({
      source: {
        label: 'batch-a (111122223333, eu-west-1)',
        configured: true,
        note: 'could not tell which source: EC2 DescribeSubnets failed for subnet-0aaa1111: AccessDeniedException (HTTP 403)',
      },
    });
  });

  it('keeps the label of a cluster that is not configured short, however long its name', async () => {
    const name = 'x'.repeat(255);
    const task = taskFrom('ec2-stopped-failed', { clusterName: name });
    const { source } = (await resolveSource(task, parseNotifierConfig({}))) as { source: { label: string } };
    expect(source.label).toBe(`${'x'.repeat(47)}… (444455556666, us-east-2)`);
  });

  it('skips a task whose subnet is in none of the sources of its cluster', async () => {
    const config = parseNotifierConfig({
      sources: [{ label: 'vpc-a', clusterArn: A, subnetIds: ['subnet-0ccc3333'] }],
    });
    expect(await resolveSource(taskFrom('fargate-stopped-succeeded'), config)).toEqual({
      skip: 'subnet subnet-0aaa1111 is in none of the sources configured for cluster batch-a',
    });
  });

  it('needs no EC2 lookup when subnets tell the sources apart', () => {
    const config = parseNotifierConfig({
      sources: [
        { label: 'a', clusterArn: A, vpcId: 'vpc-0a', subnetIds: ['subnet-0a'] },
        { label: 'b', clusterArn: A, vpcId: 'vpc-0b', subnetIds: ['subnet-0b'] },
      ],
    });
    expect(needsVpcLookup(config)).toBe(false);
  });
});
