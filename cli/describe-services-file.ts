import type { DescribeServicesFn } from '../lambda/adapters/ecs-services.js';
import type { Lookup } from '../lambda/domain/report/cross-check.js';
import { readServicesAnswer, type ServiceFacts } from '../lambda/domain/service/service-facts.js';
import { UsageError } from './command.js';
import { readJsonOption } from './read-json.js';

/**
 * Answers the service and deployment cross-check offline from saved `aws ecs describe-services`
 * output (`{"services": [...], "failures": [...]}`, ISO or epoch times). A service the files do
 * not mention is `not-run`: absence from a saved file proves nothing.
 */
export async function loadDescribeServicesFiles(files: readonly string[]): Promise<DescribeServicesFn> {
  const known = new Map<string, Lookup<ServiceFacts>>();
  for (const file of files) {
    const json = (await readJsonOption('--describe-services', file)) as {
      services?: unknown;
      failures?: unknown;
    };
    if (!Array.isArray(json?.services))
      throw new UsageError(
        `--describe-services ${file}: expected DescribeServices output ({"services": [...]})`,
      );
    try {
      readServicesAnswer(
        { services: json.services, failures: Array.isArray(json.failures) ? json.failures : [] },
        known,
      );
    } catch (error) {
      throw new UsageError(`--describe-services ${file}: ${(error as Error).message}`);
    }
  }
  return async (_cluster, _region, serviceArns) =>
    new Map(serviceArns.map((arn) => [arn, known.get(arn) ?? { kind: 'not-run' }] as const));
}
