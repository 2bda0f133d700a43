import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSubnetVpcLookup, SubnetLookupError } from '../../../lambda/adapters/ec2.js';
import { AWS_TEST_ENV } from '../../support/handler-harness.js';

/** An EC2 query-API stand-in: subnet-0a is in vpc-0a, subnet-0b in vpc-0b, anything else is unknown. */
let server: Server;
const requests: string[] = [];
let connections = 0;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const subnet = new URLSearchParams(body).get('SubnetId.1') ?? '';
    requests.push(subnet);
    const vpc = { 'subnet-0a': 'vpc-0a', 'subnet-0b': 'vpc-0b' }[subnet];
    res.writeHead(vpc ? 200 : 400, { 'content-type': 'text/xml' });
    res.end(
      vpc
        ? `<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><subnetSet><item><subnetId>${subnet}</subnetId><vpcId>${vpc}</vpcId></item></subnetSet></DescribeSubnetsResponse>`
        : '<Response><Errors><Error><Code>InvalidSubnetID.NotFound</Code><Message>no such subnet</Message></Error></Errors></Response>',
    );
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const env = {
    ...AWS_TEST_ENV,
    AWS_ENDPOINT_URL_EC2: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  };
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createSubnetVpcLookup', () => {
  it("answers each subnet's VPC once, through one client per region", async () => {
    const lookup = createSubnetVpcLookup();
    expect(await lookup('subnet-0a', 'eu-west-1')).toBe('vpc-0a');
    expect(await lookup('subnet-0b', 'eu-west-1')).toBe('vpc-0b');
    expect(await lookup('subnet-0a', 'eu-west-1')).toBe('vpc-0a');
    expect(requests).toEqual(['subnet-0a', 'subnet-0b']);
    // One client keeps its connection alive between calls; a client per call would open one each.
    expect(connections).toBe(1);
  });

  it('names the subnet and the error when EC2 refuses, and asks again next time', async () => {
    const lookup = createSubnetVpcLookup();
    const failure = lookup('subnet-0c', 'eu-west-1');
    await expect(failure).rejects.toBeInstanceOf(SubnetLookupError);
    await expect(failure).rejects.toThrow(
      'EC2 DescribeSubnets failed for subnet-0c: InvalidSubnetID.NotFound',
    );
    const before = requests.length;
    await expect(lookup('subnet-0c', 'eu-west-1')).rejects.toThrow('subnet-0c');
    expect(requests.length).toBeGreaterThan(before);
  });
});
