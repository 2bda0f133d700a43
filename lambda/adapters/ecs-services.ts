import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import pMap from 'p-map';
import type { Lookup } from '../domain/report/cross-check.js';
import { readServicesAnswer, type ServiceFacts } from '../domain/service/service-facts.js';
import { type ClientFor, describeError } from './aws.js';
import { accountOf, ecsClientsByRegion } from './ecs.js';

/** DescribeServices answers, keyed by service ARN, for services of one cluster; never rejects. */
export type DescribeServicesFn = (
  clusterArn: string,
  region: string,
  serviceArns: string[],
) => Promise<Map<string, Lookup<ServiceFacts>>>;

/** DescribeServices takes at most 10 services a call. */
export const DESCRIBE_SERVICES_BATCH = 10;

export interface EcsServicesAdapterOptions {
  /** Defaults to one `ECSClient` per region and reader role, built once. */
  clientFor?: ClientFor<ECSClient>;
  /** Roles to read other accounts' services with, by `"ACCOUNT:REGION"` (`readerRoles`). */
  readerRoles?: Readonly<Record<string, string>>;
}

/**
 * DescribeServices through the real `ECSClient`, ten services a call: each service's task
 * definition, counts, deployments, subnets and latest events. A call that fails makes its services
 * `unavailable`; `failures[].reason` `MISSING` makes one `missing`.
 */
export function createEcsDescribeServices(options: EcsServicesAdapterOptions = {}): DescribeServicesFn {
  const clientFor =
    options.clientFor ?? ecsClientsByRegion(options.readerRoles ? { readerRoles: options.readerRoles } : {});
  return async (clusterArn, region, serviceArns) => {
    const results = new Map<string, Lookup<ServiceFacts>>();
    const chunks: string[][] = [];
    for (let i = 0; i < serviceArns.length; i += DESCRIBE_SERVICES_BATCH)
      chunks.push(serviceArns.slice(i, i + DESCRIBE_SERVICES_BATCH));
    await pMap(
      chunks,
      async (chunk) => {
        try {
          const answer = await clientFor(region, accountOf(clusterArn)).send(
            new DescribeServicesCommand({ cluster: clusterArn, services: chunk }),
          );
          readServicesAnswer(answer, results);
        } catch (error) {
          for (const arn of chunk) results.set(arn, { kind: 'unavailable', reason: describeError(error) });
        }
        for (const arn of chunk)
          if (!results.has(arn))
            results.set(arn, { kind: 'unavailable', reason: 'not in the DescribeServices answer' });
      },
      { concurrency: 2 },
    );
    return results;
  };
}
