import type { SourceConfig } from '../lambda/domain/config/config.js';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import type { FullConfig } from './deploy-schema.js';

/** Sources whose clusters live in one account and region other than the notifier's. */
export interface ForwardedSources {
  readonly account: string;
  readonly region: string;
  readonly sources: SourceConfig[];
}

/**
 * Groups the sources by the account and region their cluster ARN names, leaving out the
 * notifier's own. Empty when the notifier's account and region are not configured.
 */
export function forwardedSources(
  config: Pick<FullConfig, 'sources' | 'account' | 'region'>,
): ForwardedSources[] {
  if (!config.account || !config.region) return [];
  const groups = new Map<string, ForwardedSources>();
  for (const source of config.sources) {
    const { account, region } = parseClusterArn(source.clusterArn);
    if (account === config.account && region === config.region) continue;
    const key = `${account} ${region}`;
    const group = groups.get(key) ?? { account, region, sources: [] };
    group.sources.push(source);
    groups.set(key, group);
  }
  return [...groups.values()];
}
