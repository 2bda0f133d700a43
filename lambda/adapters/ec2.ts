import { NotifierError } from '../domain/errors.js';
import type { SubnetVpcLookup } from '../domain/source.js';
import { describeError } from './aws.js';

/** DescribeSubnets failed; the message names the subnet and the SDK error, nothing more. */
export class SubnetLookupError extends NotifierError {}

/**
 * Subnet → VPC through EC2 DescribeSubnets, cached. The EC2 client adds about 1 MB, so it is
 * imported only when a lookup is first needed.
 */
export function createSubnetVpcLookup(): SubnetVpcLookup {
  const cache = new Map<string, Promise<string | undefined>>();
  return (subnetId, region) => {
    const key = `${region} ${subnetId}`;
    let vpc = cache.get(key);
    if (!vpc) {
      vpc = (async () => {
        const { EC2Client, DescribeSubnetsCommand } = await import('@aws-sdk/client-ec2');
        try {
          const answer = await new EC2Client({ region }).send(
            new DescribeSubnetsCommand({ SubnetIds: [subnetId] }),
          );
          return answer.Subnets?.[0]?.VpcId;
        } catch (error) {
          throw new SubnetLookupError(`EC2 DescribeSubnets failed for ${subnetId}: ${describeError(error)}`);
        }
      })();
      // A failed lookup is not cached, so the next event tries again.
      vpc.catch(() => cache.delete(key));
      cache.set(key, vpc);
    }
    return vpc;
  };
}
