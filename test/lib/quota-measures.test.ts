import { describe, expect, test } from 'vitest';
import { eventBusPolicySize, eventPatternSize, iamPolicySize, jsonBytes } from '../../lib/quotas.js';
import { type TemplateResources, worstCaseValue } from '../../lib/worst-case-values.js';

const RESOURCES: TemplateResources = {
  Queue: { Type: 'AWS::SQS::Queue' },
  Table: { Type: 'AWS::DynamoDB::Table' },
  Topic: { Type: 'AWS::SNS::Topic' },
};

describe('sizes as AWS counts them', () => {
  test('an IAM policy leaves white space out', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }],
    };

    expect(iamPolicySize(JSON.parse(JSON.stringify(policy, null, 2)))).toBe(JSON.stringify(policy).length);
    expect(iamPolicySize({ Sid: 'a b' })).toBe('{"Sid":"ab"}'.length);
  });

  test('an event pattern is the characters of its compact JSON', () => {
    expect(eventPatternSize({ source: ['aws.ecs'] })).toBe('{"source":["aws.ecs"]}'.length);
  });

  test('an event bus policy counts its Version and every statement', () => {
    expect(eventBusPolicySize([{ Sid: 'a' }])).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"a"}]}'.length,
    );
  });

  test('a queue policy or an environment counts bytes, not characters', () => {
    expect(jsonBytes({ A: 'é' })).toBe('{"A":"é"}'.length + 1);
  });
});

describe('worstCaseValue', () => {
  test('fills an ARN in at its longest: partition, region and the longest name the type allows', () => {
    const arn = worstCaseValue({ 'Fn::GetAtt': ['Queue', 'Arn'] }, RESOURCES) as string;

    expect(arn).toBe(`arn:aws-us-gov:sqs:ap-southeast-5:123456789012:${'n'.repeat(80)}`);
  });

  test('resolves a table name, a topic ARN and pseudo parameters inside a join', () => {
    const value = worstCaseValue(
      {
        'Fn::Join': [
          ':',
          [{ Ref: 'Table' }, { Ref: 'Topic' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::Partition' }],
        ],
      },
      RESOURCES,
    ) as string;

    expect(value.split(':')[0]).toHaveLength(255);
    expect(value).toContain(`:sns:ap-southeast-5:123456789012:${'n'.repeat(256)}:`);
    expect(value.endsWith(':ap-southeast-5:aws-us-gov')).toBe(true);
  });

  test('keeps literals and walks objects and arrays', () => {
    const doc = { Statement: [{ Resource: ['arn:aws:s3:::literal', { 'Fn::GetAtt': ['Table', 'Arn'] }] }] };
    const worst = worstCaseValue(doc, RESOURCES) as { Statement: { Resource: string[] }[] };

    expect(worst.Statement[0]?.Resource[0]).toBe('arn:aws:s3:::literal');
    expect(worst.Statement[0]?.Resource[1]).toMatch(
      /^arn:aws-us-gov:dynamodb:ap-southeast-5:123456789012:table\/n{255}$/,
    );
  });

  test('refuses to guess a reference or an intrinsic it cannot size', () => {
    expect(() => worstCaseValue({ Ref: 'Bucket' }, RESOURCES)).toThrow(/cannot size a reference to Bucket/);
    expect(() => worstCaseValue({ 'Fn::Sub': 'x' }, RESOURCES)).toThrow('cannot size Fn::Sub');
    expect(() => worstCaseValue({ 'Fn::GetAtt': ['Queue', 'QueueName'] }, RESOURCES)).toThrow(
      'cannot size Fn::GetAtt Queue.QueueName',
    );
  });
});
