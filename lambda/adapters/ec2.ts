import { NotifierError } from '../domain/errors.js';
import type { SubnetVpcLookup } from '../domain/report/source.js';
import { clientsByPlace, describeError } from './aws.js';

/** DescribeSubnets failed; the message names the subnet and the SDK error, nothing more. */
export class SubnetLookupError extends NotifierError {}

/**
 * Subnet → VPC through EC2 DescribeSubnets, cached, one client per region (the shared cache). The
 * EC2 client adds about 1 MB, so it is imported only when a lookup is first needed.
 */
export function createSubnetVpcLookup(readerRoles: Readonly<Record<string, string>> = {}): SubnetVpcLookup {
  const cache = new Map<string, Promise<string | undefined>>();
  let sdk: Promise<typeof import('@aws-sdk/client-ec2')> | undefined;
  const loadSdk = () => {
    sdk ??= import('@aws-sdk/client-ec2');
    return sdk;
  };
  const clientFor = clientsByPlace(
    async (region, credentials) =>
      new (await loadSdk()).EC2Client({ region, ...(credentials ? { credentials } : {}) }),
    readerRoles,
  );
  return (subnetId, region, account) => {
    const key = `${account ?? ''} ${region} ${subnetId}`;
    let vpc = cache.get(key);
    if (!vpc) {
      vpc = (async () => {
        const { DescribeSubnetsCommand } = await loadSdk();
        try {
          const answer = await (await clientFor(region, account)).send(
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
