import { describe, expect, test } from 'vitest';
import { signedCalls } from '../../e2e/access-control.js';
import type { RecordedRequest } from '../../e2e/moto.js';

/** A SigV4 header as the SDK signs: key, date, region, service. */
function authorization(key: string, service: string): string {
  return `AWS4-HMAC-SHA256 Credential=${key}/20260304/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
}

function request(headers: Record<string, string>, body = '', encoded = false): RecordedRequest {
  return { headers, method: 'POST', url: 'http://127.0.0.1:5000/', body, body_encoded: encoded };
}

describe('the calls moto recorded for one access key', () => {
  test('are named service:Operation, from the JSON target or the query Action, sorted and once each', () => {
    const requests = [
      request({
        Authorization: authorization('ASIAFUNCTION', 'ecs'),
        'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.DescribeTasks',
      }),
      request(
        {
          authorization: authorization('ASIAFUNCTION', 'ec2'),
        },
        Buffer.from('Action=DescribeSubnets&Version=2016-11-15').toString('base64'),
        true,
      ),
      request({
        Authorization: authorization('ASIAFUNCTION', 'ecs'),
        'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.DescribeTasks',
      }),
      request({
        Authorization: authorization('ASIAFUNCTION', 'secretsmanager'),
        'X-Amz-Target': 'secretsmanager.GetSecretValue',
      }),
    ];

    expect(signedCalls(requests, 'ASIAFUNCTION')).toEqual([
      'ec2:DescribeSubnets',
      'ecs:DescribeTasks',
      'secretsmanager:GetSecretValue',
    ]);
  });

  test('leave out requests signed with another key or not signed at all', () => {
    const requests = [
      request({
        Authorization: authorization('AKIAOPERATOR', 'sqs'),
        'X-Amz-Target': 'AmazonSQS.SendMessage',
      }),
      request({ 'X-Amz-Target': 'AmazonSQS.ReceiveMessage' }),
    ];

    expect(signedCalls(requests, 'ASIAFUNCTION')).toEqual([]);
  });
});
