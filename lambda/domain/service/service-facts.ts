import * as z from 'zod/mini';
import { parseWith } from '../config/validation.js';
import type { Lookup } from '../report/cross-check.js';
import { parseTaskDefinitionArn } from '../task/arn.js';
import { present } from '../task/task-from-ecs.js';
import { parseTimestamp } from '../task/timestamp.js';

/** One deployment of a service, as DescribeServices lists it. */
export interface DeploymentFacts {
  id: string;
  /** `PRIMARY` (the newest), `ACTIVE` (being replaced) or `INACTIVE`. */
  status?: string;
  taskDefinition?: string;
  family?: string;
  revision: number | null;
  /** `IN_PROGRESS`, `COMPLETED` or `FAILED`, and ECS's words for why. */
  rolloutState?: string;
  rolloutStateReason?: string;
  desiredCount?: number;
  runningCount?: number;
  failedTasks?: number;
  createdAt?: Date;
}

/** What DescribeServices says about a service: its task definition, counts, deployments, subnets, events. */
export interface ServiceFacts {
  serviceArn: string;
  serviceName?: string;
  status?: string;
  taskDefinition?: string;
  family?: string;
  revision: number | null;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  launchType?: string;
  /** The subnets its tasks get (awsvpc), which tell the sources of a shared cluster apart. */
  subnets: string[];
  deployments: DeploymentFacts[];
  /** The service's own event messages, newest first (`(service web) was unable to place a task …`). */
  events: { createdAt?: Date; message: string }[];
}

const optionalText = z.optional(z.nullable(z.string()));
const count = z.optional(z.nullable(z.number()));
const timestamp = z.optional(z.nullable(z.union([z.string(), z.number(), z.date()])));

const ServiceSchema = z.object({
  serviceArn: z.string().check(z.minLength(1, 'must not be empty')),
  serviceName: optionalText,
  status: optionalText,
  taskDefinition: optionalText,
  desiredCount: count,
  runningCount: count,
  pendingCount: count,
  launchType: optionalText,
  networkConfiguration: z.optional(
    z.nullable(
      z.object({
        awsvpcConfiguration: z.optional(z.nullable(z.object({ subnets: z.optional(z.array(z.string())) }))),
      }),
    ),
  ),
  deployments: z.optional(
    z.array(
      z.object({
        id: z.string(),
        status: optionalText,
        taskDefinition: optionalText,
        rolloutState: optionalText,
        rolloutStateReason: optionalText,
        desiredCount: count,
        runningCount: count,
        failedTasks: count,
        createdAt: timestamp,
      }),
    ),
  ),
  events: z.optional(z.array(z.object({ createdAt: timestamp, message: optionalText }))),
});

/**
 * Reads `services[]` and `failures[]` of a DescribeServices answer (SDK, wire or saved CLI output)
 * into `into`, by service ARN: `MISSING` makes a service missing; an entry that is not a service
 * throws a ValidationError naming it.
 */
export function readServicesAnswer(
  answer: { services?: unknown[]; failures?: unknown[] },
  into: Map<string, Lookup<ServiceFacts>>,
): void {
  for (const [index, raw] of (answer.services ?? []).entries()) {
    const service = parseWith(ServiceSchema, raw, `services[${index}]`);
    const definition = definitionOf(service.taskDefinition);
    into.set(service.serviceArn, {
      kind: 'found',
      value: {
        serviceArn: service.serviceArn,
        revision: definition.revision,
        subnets: service.networkConfiguration?.awsvpcConfiguration?.subnets ?? [],
        deployments: (service.deployments ?? []).map((d) => {
          const ofDeployment = definitionOf(d.taskDefinition);
          return {
            id: d.id,
            revision: ofDeployment.revision,
            ...present({
              status: d.status,
              taskDefinition: d.taskDefinition,
              family: ofDeployment.family,
              rolloutState: d.rolloutState,
              rolloutStateReason: d.rolloutStateReason,
              desiredCount: d.desiredCount,
              runningCount: d.runningCount,
              failedTasks: d.failedTasks,
              createdAt: parseTimestamp(d.createdAt),
            }),
          };
        }),
        events: (service.events ?? []).flatMap((e) =>
          e.message ? [{ message: e.message, ...present({ createdAt: parseTimestamp(e.createdAt) }) }] : [],
        ),
        ...present({
          serviceName: service.serviceName,
          status: service.status,
          taskDefinition: service.taskDefinition,
          family: definition.family,
          desiredCount: service.desiredCount,
          runningCount: service.runningCount,
          pendingCount: service.pendingCount,
          launchType: service.launchType,
        }),
      },
    });
  }
  for (const failure of answer.failures ?? []) {
    const { arn, reason } = (failure ?? {}) as { arn?: unknown; reason?: unknown };
    if (typeof arn !== 'string') continue;
    const why = typeof reason === 'string' ? reason : 'unknown failure';
    into.set(
      arn,
      why === 'MISSING' ? { kind: 'missing', reason: why } : { kind: 'unavailable', reason: why },
    );
  }
}

/** Family and revision of a task definition ARN; nothing when it is absent or not one. */
function definitionOf(arn: string | null | undefined): { family?: string; revision: number | null } {
  if (!arn) return { revision: null };
  try {
    const { family, revision } = parseTaskDefinitionArn(arn);
    return { family, revision };
  } catch {
    return { revision: null };
  }
}

/** The deployment DescribeServices lists under this ID, if it still does. */
export function deploymentOf(facts: ServiceFacts, id: string): DeploymentFacts | undefined {
  return facts.deployments.find((d) => d.id === id);
}
