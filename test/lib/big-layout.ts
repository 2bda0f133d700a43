/** The notifier's account and region in the big layouts. */
export const HOME_ACCOUNT = '100000000000';
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

const account = (k: number) => String(100_000_000_000 + k);
const hex = (n: number) => n.toString(16).padStart(16, '0');

export interface BigLayoutOptions {
  /** How many of the 200 clusters are in the notifier's own account (spread over the 3 regions). */
  readonly homeClusters: number;
  /** Every kind of event notified, and a Batch job queue for every other source. @default task stops only */
  readonly everyKind?: boolean;
}

/**
 * 200 sources with 2 subnets each (and, with `everyKind`, every kind of event and a job queue for
 * every other source), 50 routes (each its own secret), 3 log group prefixes, clusters
 * in 40 accounts and 3 regions: `homeClusters` in the notifier's account, the others spread so that
 * every other account has clusters in every region (a forwarder stack each). Names as long as real
 * ones: `nightly-batch-processing-123`, full-length subnet and VPC IDs.
 */
export function bigLayout({ homeClusters, everyKind = false }: BigLayoutOptions): Record<string, unknown> {
  const sources = Array.from({ length: 200 }, (_, i) => {
    const home = i < homeClusters;
    const clusterAccount = home ? account(0) : account(1 + ((i - homeClusters) % 39));
    const region = REGIONS[(home ? i : Math.floor((i - homeClusters) / 39)) % 3];
    return {
      label: `batch-${i} (vpc-${i})`,
      clusterArn: `arn:aws:ecs:${region}:${clusterAccount}:cluster/nightly-batch-processing-${String(i).padStart(3, '0')}`,
      vpcId: `vpc-0${hex(i)}`,
      subnetIds: [`subnet-0${hex(2 * i)}`, `subnet-0${hex(2 * i + 1)}`],
      ...(everyKind && i % 2 === 0
        ? { jobQueues: [`arn:aws:batch:${region}:${clusterAccount}:job-queue/nightly-batch-queue-${i}`] }
        : {}),
    };
  });
  const secret = (name: string, suffix: string) =>
    `arn:aws:secretsmanager:us-east-1:${HOME_ACCOUNT}:secret:ecs-task-notifier/${name}-${suffix}`;
  const routes = Array.from({ length: 50 }, (_, i) => ({
    name: `route-${i}`,
    match: { sources: [sources[i * 4]?.label] },
    webhookSecretArn: secret(`route-${i}`, `AbC${i.toString(16).padStart(3, '0')}`),
  }));
  return {
    sources,
    routes,
    notifyOn: ['STOPPED'],
    ...(everyKind ? { events: ['task', 'service', 'deployment', 'launch', 'batch'] } : {}),
    ignoreGroups: ['service:'],
    logGroups: ['/ecs/batch-*', '/ecs/report-*', '/aws/ecs/containerinsights/batch-*'],
    slackWebhookSecretArn: secret('slack-webhook', 'AbCdEf'),
    account: HOME_ACCOUNT,
    region: 'us-east-1',
    alarmEmail: 'ops@example.com',
  };
}
