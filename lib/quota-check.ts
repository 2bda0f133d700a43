import { statSync } from 'node:fs';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CONTEXT_KEY, DeployConfigError } from './deploy-config.js';
import {
  eventBusPolicySize,
  eventPatternSize,
  iamPolicySize,
  jsonBytes,
  QUOTAS,
  type QuotaName,
} from './quotas.js';
import { STATEMENT_KEYS } from './runtime-grants.js';
import { type TemplateResources, worstCaseValue } from './worst-case-values.js';

/** How much of one quota one thing in a synthesized stack takes. */
export interface QuotaUse {
  readonly quota: QuotaName;
  readonly stack: string;
  /** What is measured: a logical ID, or the stack itself. */
  readonly what: string;
  readonly used: number;
  /** The configuration key that makes it grow (`sources`, `logGroups`, …), named in an error. */
  readonly key: string;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Statement = { Sid?: string; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };

/**
 * Every quota use of every stack in `assembly`, measured on its template the way AWS counts
 * (ARNs and names CloudFormation fills in at their longest).
 */
export function measureQuotas(assembly: CloudAssembly): QuotaUse[] {
  return assembly.stacks.flatMap((artifact) => {
    const stack = artifact.stackName;
    const resources = (artifact.template.Resources ?? {}) as Record<string, Resource>;
    const uses: QuotaUse[] = [
      {
        quota: 'resourcesPerTemplate',
        stack,
        what: 'the template',
        used: Object.keys(resources).length,
        key: 'sources',
      },
      {
        quota: 'templateSize',
        stack,
        what: 'the template',
        used: statSync(artifact.templateFullPath).size,
        key: 'sources',
      },
    ];
    const all = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
    const worst = (value: unknown) => worstCaseValue(value, resources as TemplateResources);
    const rules = all('AWS::Events::Rule').filter(([, r]) => r.Properties?.EventPattern !== undefined);
    for (const [id, rule] of rules) {
      uses.push({
        quota: 'eventPatternSize',
        stack,
        what: id,
        used: eventPatternSize(rule.Properties?.EventPattern),
        key: 'sources',
      });
    }
    const onDefaultBus = rules.filter(([, r]) => r.Properties?.EventBusName === undefined);
    uses.push({
      quota: 'rulesPerEventBus',
      stack,
      what: 'the default bus',
      used: onDefaultBus.length,
      key: 'sources',
    });
    const busStatements = all('AWS::Events::EventBusPolicy').map(([, r]) => ({
      Sid: r.Properties?.StatementId,
      ...(r.Properties?.Statement as object),
    }));
    if (busStatements.length > 0) {
      const used = eventBusPolicySize(worst(busStatements) as unknown[]);
      uses.push({ quota: 'eventBusPolicySize', stack, what: 'the default bus', used, key: 'organizationId' });
    }
    uses.push(...roleUses(stack, resources, worst));
    for (const [id, policy] of all('AWS::SQS::QueuePolicy'))
      uses.push(...queuePolicyUses(stack, id, worst(policy.Properties?.PolicyDocument)));
    for (const [id, fn] of all('AWS::Lambda::Function')) {
      const variables = (fn.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ?? {};
      uses.push({
        quota: 'lambdaEnvironmentSize',
        stack,
        what: id,
        used: jsonBytes(worst(variables)),
        key: '',
      });
    }
    return uses;
  });
}

/** The first quota use over its limit, as the one-line error `cdk synth` prints; `undefined` when all fit. */
export function quotaError(uses: readonly QuotaUse[], root = CONTEXT_KEY): DeployConfigError | undefined {
  const over = uses.find((use) => use.used > QUOTAS[use.quota].limit);
  if (!over) return undefined;
  const quota = QUOTAS[over.quota];
  const n = (x: number) => x.toLocaleString('en-US');
  return new DeployConfigError(
    over.key ? `${root}.${over.key}` : root,
    `over ${quota.service}'s quota on ${quota.name} (${n(quota.limit)} ${quota.unit}): ${over.what} in stack ${over.stack} has ${n(over.used)}${ADVICE[over.quota] ?? ''}`,
  );
}

/** Throws the {@link quotaError} of `assembly`, if any. */
export function checkQuotas(assembly: CloudAssembly, root = CONTEXT_KEY): void {
  const error = quotaError(measureQuotas(assembly), root);
  if (error) throw error;
}

const ADVICE: Partial<Record<QuotaName, string>> = {
  eventBusPolicySize: `; set "organizationId": "o-…" to let the organization's accounts in with one statement`,
  rulesPerEventBus: '; serve these clusters with two notifiers, or ask AWS to raise the quota',
  managedPoliciesPerRole: '; ask AWS to raise the quota (up to 20), or list fewer log groups',
};

/** Each role's inline policies together, each managed policy, and the managed policies a role has. */
function roleUses(
  stack: string,
  resources: Record<string, Resource>,
  worst: (v: unknown) => unknown,
): QuotaUse[] {
  const uses: QuotaUse[] = [];
  const attachedTo = (r: Resource, roleId: string) =>
    ((r.Properties?.Roles as unknown[] | undefined) ?? []).some(
      (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId }),
    );
  for (const [roleId, role] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
    const inline = [
      ...((role.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
        (p) => p.PolicyDocument,
      ),
      ...Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && attachedTo(r, roleId))
        .map((r) => r.Properties?.PolicyDocument),
    ].map(worst);
    const used = inline.reduce((sum: number, doc) => sum + iamPolicySize(doc), 0);
    uses.push({
      quota: 'roleInlinePolicySize',
      stack,
      what: roleId,
      used,
      key: keyOfLargestStatement(inline),
    });
    const managed = Object.values(resources).filter(
      (r) => r.Type === 'AWS::IAM::ManagedPolicy' && attachedTo(r, roleId),
    );
    const arns = (role.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? [];
    const docs = managed.map((r) => worst(r.Properties?.PolicyDocument));
    uses.push({
      quota: 'managedPoliciesPerRole',
      stack,
      what: roleId,
      used: managed.length + arns.length,
      key: keyOfLargestStatement(docs),
    });
  }
  for (const [id, policy] of Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::IAM::ManagedPolicy',
  )) {
    const doc = worst(policy.Properties?.PolicyDocument);
    uses.push({
      quota: 'managedPolicySize',
      stack,
      what: id,
      used: iamPolicySize(doc),
      key: keyOfLargestStatement([doc]),
    });
  }
  return uses;
}

function queuePolicyUses(stack: string, what: string, document: unknown): QuotaUse[] {
  const statements = ((document as { Statement?: Statement[] }).Statement ?? []) as Statement[];
  const conditions = statements.reduce(
    (sum, s) => sum + Object.values(s.Condition ?? {}).reduce((n, keys) => n + Object.keys(keys).length, 0),
    0,
  );
  const principals = statements.reduce((sum, s) => sum + principalCount(s.Principal), 0);
  return [
    { quota: 'queuePolicySize', stack, what, used: jsonBytes(document), key: 'sources' },
    { quota: 'queuePolicyStatements', stack, what, used: statements.length, key: 'sources' },
    { quota: 'queuePolicyConditions', stack, what, used: conditions, key: 'sources' },
    { quota: 'queuePolicyPrincipals', stack, what, used: principals, key: 'sources' },
  ];
}

function principalCount(principal: unknown): number {
  if (principal === undefined) return 0;
  if (typeof principal === 'string') return 1;
  return Object.values(principal as Record<string, unknown>).reduce(
    (n: number, value) => n + (Array.isArray(value) ? value.length : 1),
    0,
  );
}

/** The key named by the `Sid` of the largest statement in these policies (`sources` by default). */
function keyOfLargestStatement(documents: readonly unknown[]): string {
  const statements = documents.flatMap(
    (d) => ((d as { Statement?: Statement[] })?.Statement ?? []) as Statement[],
  );
  const largest = [...statements].sort((a, b) => iamPolicySize(b) - iamPolicySize(a))[0];
  const sid = largest?.Sid?.replace(/\d+$/, '');
  return (sid && STATEMENT_KEYS[sid]) || 'sources';
}
