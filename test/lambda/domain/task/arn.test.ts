import { describe, expect, it } from 'vitest';
import {
  formatTaskDefinition,
  parseClusterArn,
  parseTaskArn,
  parseTaskDefinitionArn,
} from '../../../../lambda/domain/task/arn.js';

describe('parseTaskDefinitionArn', () => {
  it('splits a task definition ARN into partition, region, account, family and revision', () => {
    expect(
      parseTaskDefinitionArn('arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1'),
    ).toEqual({
      partition: 'aws',
      region: 'us-west-2',
      account: '111122223333',
      resource: 'task-definition/sample-fargate:1',
      family: 'sample-fargate',
      revision: 1,
    });
  });

  it('leaves the revision unknown (null) when the ARN carries no :REVISION', () => {
    const ref = parseTaskDefinitionArn('arn:aws:ecs:us-east-1:123456789012:task-definition/webserver');
    expect(ref.family).toBe('webserver');
    expect(ref.revision).toBeNull();
  });

  it.each([
    [
      'arn:aws-us-gov:ecs:us-gov-west-1:482556331625:task-definition/vc25-interactive-task:23',
      { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '482556331625' },
      { family: 'vc25-interactive-task', revision: 23 },
    ],
    [
      'arn:aws-cn:ecs:cn-north-1:690669119032:task-definition/GW-DKN-infer:1',
      { partition: 'aws-cn', region: 'cn-north-1', account: '690669119032' },
      { family: 'GW-DKN-infer', revision: 1 },
    ],
    [
      'arn:aws:ecs:us-east-2:XXXXXXXXXXXX:task-definition/DemoTrafficGen01TaskDef59B414B2:10',
      { partition: 'aws', region: 'us-east-2', account: 'XXXXXXXXXXXX' },
      { family: 'DemoTrafficGen01TaskDef59B414B2', revision: 10 },
    ],
    [
      'arn:aws:ecs:ap-northeast-2:653734769926:task-definition/sin-web_task_def-dev:26',
      { partition: 'aws', region: 'ap-northeast-2', account: '653734769926' },
      { family: 'sin-web_task_def-dev', revision: 26 },
    ],
    [
      'arn:aws:ecs:us-east-1:<aws_account_id>:task-definition/hello_world:8',
      { partition: 'aws', region: 'us-east-1', account: '<aws_account_id>' },
      { family: 'hello_world', revision: 8 },
    ],
  ])('reads %s', (arn, base, definition) => {
    expect(parseTaskDefinitionArn(arn)).toEqual({
      ...base,
      resource: arn.slice(arn.indexOf('task-definition/')),
      ...definition,
    });
  });

  it.each([
    ['a task ARN', 'arn:aws:ecs:us-east-1:123456789012:task/abc'],
    [
      'a wildcard revision from an IAM policy',
      'arn:aws-us-gov:ecs:us-gov-west-1:050779347855:task-definition/alpha-sample:*',
    ],
    ['revision 0', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:0'],
    ['another service', 'arn:aws:lambda:us-east-1:123456789012:task-definition/web:1'],
    ['a family name', 'nightly-report:42'],
  ])('rejects %s with a message naming what was expected', (_, arn) => {
    expect(() => parseTaskDefinitionArn(arn)).toThrow(/expected a task definition ARN|revision of 1 or more/);
  });
});

describe('parseTaskArn', () => {
  it('reads the new format task/CLUSTER/ID', () => {
    expect(
      parseTaskArn('arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad'),
    ).toEqual({
      partition: 'aws',
      region: 'us-west-2',
      account: '111122223333',
      resource: 'task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad',
      clusterName: 'FargateCluster',
      taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad',
    });
  });

  it('reads the old format task/UUID, which names no cluster', () => {
    expect(
      parseTaskArn('arn:aws:ecs:us-east-1:111122223333:task/b99d40b3-5176-4f71-9a52-9dbd6f1cebef'),
    ).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      account: '111122223333',
      resource: 'task/b99d40b3-5176-4f71-9a52-9dbd6f1cebef',
      clusterName: null,
      taskId: 'b99d40b3-5176-4f71-9a52-9dbd6f1cebef',
    });
  });

  it.each([
    ['arn:aws:ecs:us-east-1:123:task/RTCWCluster/abc', 'us-east-1', '123', 'RTCWCluster', 'abc'],
    [
      'arn:aws:ecs:eu-west-3:000000000:task/36e745f7-8a16-46e2-9485-0620c1b986da',
      'eu-west-3',
      '000000000',
      null,
      '36e745f7-8a16-46e2-9485-0620c1b986da',
    ],
    [
      'arn:aws:ecs:us-west-2:ExampleAWSAccountNo1;:task/default/febee046097849aba589d4435207c04a',
      'us-west-2',
      'ExampleAWSAccountNo1;',
      'default',
      'febee046097849aba589d4435207c04a',
    ],
    [
      'arn:aws:ecs:us-west-2:123456789012:task/MyCluster/1234567890123456789',
      'us-west-2',
      '123456789012',
      'MyCluster',
      '1234567890123456789',
    ],
    [
      'arn:aws:ecs:us-east-1:123456789012:task/example-cluster/a1173316d40a45dea9',
      'us-east-1',
      '123456789012',
      'example-cluster',
      'a1173316d40a45dea9',
    ],
  ])('reads redacted and truncated real-world ARN %s', (arn, region, account, clusterName, taskId) => {
    expect(parseTaskArn(arn)).toEqual({
      partition: 'aws',
      region,
      account,
      resource: arn.slice(arn.indexOf('task/')),
      clusterName,
      taskId,
    });
  });

  it('rejects a container ARN', () => {
    expect(() =>
      parseTaskArn('arn:aws:ecs:us-east-1:123456789012:container/50a3b4bd-eqre-4472-a0be-qeqwe'),
    ).toThrow('expected a task ARN');
  });
});

describe('parseClusterArn', () => {
  it('reads the cluster name, whatever the partition and however the account is masked', () => {
    expect(parseClusterArn('arn:aws-cn:ecs:cn-northwest-1:***:cluster/zhiwen-cluster')).toEqual({
      partition: 'aws-cn',
      region: 'cn-northwest-1',
      account: '***',
      resource: 'cluster/zhiwen-cluster',
      clusterName: 'zhiwen-cluster',
    });
  });

  it('rejects a bare cluster name', () => {
    expect(() => parseClusterArn('batch-b')).toThrow('expected an ECS cluster ARN, got "batch-b"');
  });
});

describe('formatTaskDefinition', () => {
  it('shows family:revision, and family:? when the revision is unknown', () => {
    expect(formatTaskDefinition('web', 3)).toBe('web:3');
    expect(formatTaskDefinition('web', null)).toBe('web:?');
  });
});
