import { ValidationError } from '../config/validation.js';
import { parseClusterArn, parseServiceArn } from '../task/arn.js';

/** A service: its ARN and name, its cluster, and where it lives. */
export interface ServiceIdentity {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  clusterName: string;
  partition: string;
  region: string;
  account: string;
}

/**
 * The service an event names by ARN (`field` names where, for errors). An old-format ARN
 * (`service/NAME`) does not name its cluster: `clusterArn` must then.
 */
export function serviceIdentity(
  serviceArn: string,
  field: string,
  clusterArn?: string | null,
): ServiceIdentity {
  let ref: ReturnType<typeof parseServiceArn>;
  try {
    ref = parseServiceArn(serviceArn);
  } catch (error) {
    throw new ValidationError(field, (error as Error).message);
  }
  const clusterName = ref.clusterName ?? clusterNameOf(clusterArn);
  if (clusterName === undefined)
    throw new ValidationError(
      'detail.clusterArn',
      `is required: the service ARN in ${field} names no cluster`,
    );
  return {
    serviceArn,
    serviceName: ref.serviceName,
    clusterArn: `arn:${ref.partition}:ecs:${ref.region}:${ref.account}:cluster/${clusterName}`,
    clusterName,
    partition: ref.partition,
    region: ref.region,
    account: ref.account,
  };
}

function clusterNameOf(clusterArn: string | null | undefined): string | undefined {
  if (!clusterArn) return undefined;
  try {
    return parseClusterArn(clusterArn).clusterName;
  } catch (error) {
    throw new ValidationError('detail.clusterArn', (error as Error).message);
  }
}
