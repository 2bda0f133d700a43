import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { CreateServiceCommand } from '@aws-sdk/client-ecs';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DEPLOY_FAMILY, LABELS } from './config.js';
import { expectThat } from './report.js';
import { deliver, type World } from './scenario.js';

const CAUSE = 'ECS deployment circuit breaker: tasks failed to start.';

/**
 * A service made in moto's ECS, in subnet A, and its deployment's `SERVICE_DEPLOYMENT_FAILED`
 * event as ECS sends it (moto's ECS sends none), through the bus and the deployment rule: one post
 * naming the service's revision and the cause, confirmed by DescribeServices, labelled by subnet.
 */
export async function failedDeploymentConfirmed(world: World): Promise<string> {
  const { vpcId, subnetId } = world.networks.a;
  const groups = await world.notifier.clients.ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
  );
  const securityGroups = (groups.SecurityGroups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : []));
  const created = await world.notifier.clients.ecs.send(
    new CreateServiceCommand({
      cluster: world.clusterNames.jobs,
      serviceName: 'e2e-web',
      taskDefinition: DEPLOY_FAMILY,
      desiredCount: 0,
      launchType: 'EC2',
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnetId], securityGroups } },
    }),
  );
  const serviceArn = created.service?.serviceArn;
  const deploymentId = created.service?.deployments?.[0]?.id;
  if (!serviceArn || !deploymentId)
    throw new Error(`CreateService answered ${JSON.stringify(created.service)}`);
  const entry: PutEventsRequestEntry = {
    Source: 'aws.ecs',
    DetailType: 'ECS Deployment State Change',
    Resources: [serviceArn],
    Detail: JSON.stringify({
      eventType: 'ERROR',
      eventName: 'SERVICE_DEPLOYMENT_FAILED',
      deploymentId,
      updatedAt: new Date().toISOString(),
      reason: CAUSE,
    }),
  };
  const { invocation, posts } = await deliver(world, { from: world.notifier, entries: [entry], expected: 1 });
  expectThat(
    invocation.failedIds.length === 0,
    `the handler reported ${invocation.failedIds.length} failures`,
  );
  expectThat(posts.length === 1, `1 failed deployment made ${posts.length} posts`);
  const text = JSON.stringify(posts[0]?.payload);
  for (const words of [
    `deployment ${deploymentId} of ${DEPLOY_FAMILY}:1 failed in ${LABELS.bySubnet}`,
    'circuit breaker: tasks failed to start',
    'confirmed by DescribeServices',
  ])
    expectThat(text.includes(words), `the post does not say ${JSON.stringify(words)}: ${text.slice(0, 300)}`);
  return `${deploymentId} of ${DEPLOY_FAMILY}:1 through the deployment rule: 1 post, confirmed by DescribeServices, "${LABELS.bySubnet}"`;
}
