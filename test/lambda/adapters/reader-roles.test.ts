import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEcsDescribeTasks } from '../../../lambda/adapters/ecs.js';
import { AWS_TEST_ENV } from '../../support/handler-harness.js';
import { type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

const OTHER = '210987654321';
const ROLE = `arn:aws:iam::${OTHER}:role/ecs-task-notifier-reader-eu-west-1-eu-west-1`;
const DENIED_ROLE = `arn:aws:iam::${OTHER}:role/not-trusting-us`;
const cluster = (account: string) => `arn:aws:ecs:eu-west-1:${account}:cluster/batch`;
const task = (account: string, id: string) =>
  `arn:aws:ecs:eu-west-1:${account}:task/batch/${id.padEnd(32, '0')}`;

/** STS: AssumeRole of `ROLE` hands out the reader's keys; any other role is refused. */
let sts: ScriptedServer;
/** ECS: answers every DescribeTasks as MISSING, recording whose keys signed it. */
let ecs: ScriptedServer;

beforeAll(async () => {
  sts = await startScriptedServer(({ body }) =>
    new URLSearchParams(body).get('RoleArn') === ROLE
      ? {
          status: 200,
          headers: { 'content-type': 'text/xml' },
          body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAREADER</AccessKeyId><SecretAccessKey>reader-secret</SecretAccessKey><SessionToken>reader-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${ROLE}/ecs-task-notifier</Arn><AssumedRoleId>AROA:ecs-task-notifier</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        }
      : {
          status: 403,
          headers: { 'content-type': 'text/xml' },
          body: '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized</Message></Error><RequestId>2</RequestId></ErrorResponse>',
        },
  );
  ecs = await startScriptedServer(({ body }) => ({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({
      tasks: [],
      failures: (JSON.parse(body).tasks as string[]).map((arn) => ({ arn, reason: 'MISSING' })),
    }),
  }));
  const env = { ...AWS_TEST_ENV, AWS_ENDPOINT_URL_STS: sts.url, AWS_ENDPOINT_URL_ECS: ecs.url };
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([sts.close(), ecs.close()]);
});

/** The access key that signed each ECS request, from its Authorization header. */
const signers = () =>
  ecs.requests.map((r) => /Credential=([^/]+)\//.exec(String(r.headers.authorization))?.[1]);

describe('reading tasks in other accounts through their reader roles', () => {
  it("signs another account's DescribeTasks with its reader role's keys, and our own with ours", async () => {
    const describeTasks = createEcsDescribeTasks({ readerRoles: { [`${OTHER}:eu-west-1`]: ROLE } });
    const from = ecs.requests.length;

    await describeTasks(cluster(OTHER), 'eu-west-1', [task(OTHER, 'a')]);
    await describeTasks(cluster('111122223333'), 'eu-west-1', [task('111122223333', 'b')]);
    await describeTasks(cluster(OTHER), 'eu-west-1', [task(OTHER, 'c')]);

    expect(signers().slice(from)).toEqual(['ASIAREADER', 'local', 'ASIAREADER']);
    // The role's keys are kept until they near expiry: one AssumeRole for both calls.
    expect(sts.requests.filter((r) => r.body.includes(encodeURIComponent(ROLE)))).toHaveLength(1);
  });

  it('says which role could not be assumed, and why, in the cross-check', async () => {
    const describeTasks = createEcsDescribeTasks({ readerRoles: { [`${OTHER}:eu-west-1`]: DENIED_ROLE } });

    const results = await describeTasks(cluster(OTHER), 'eu-west-1', [task(OTHER, 'd')]);

    expect(results.get(task(OTHER, 'd'))).toEqual({
      kind: 'unavailable',
      reason: `could not assume ${DENIED_ROLE}: AccessDenied (HTTP 403)`,
    });
  });
});
