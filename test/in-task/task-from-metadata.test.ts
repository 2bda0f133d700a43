import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskFromMetadata } from '../../in-task/task-from-metadata.js';
import { ValidationError } from '../../lambda/domain/config/validation.js';
import { FIXTURES } from '../local/cli.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

describe('taskFromMetadata', () => {
  it('builds the cluster ARN from the task ARN when EC2 reports a short cluster name', () => {
    const task = taskFromMetadata(fixture('v4-ec2-task.json'));

    expect(task.cluster).toBe('batch-ec2');
    expect(task.clusterArn).toBe('arn:aws:ecs:eu-central-1:444455556666:cluster/batch-ec2');
    expect(task.clusterName).toBe('batch-ec2');
  });

  it('keeps the cluster ARN that Fargate reports', () => {
    const task = taskFromMetadata(fixture('v4-fargate-task.json'));

    expect(task.cluster).toBe('arn:aws:ecs:us-east-1:777788889999:cluster/reports-fargate');
    expect(task.clusterArn).toBe(task.cluster);
    expect(task.clusterName).toBe('reports-fargate');
  });

  it('reads the string Revision as a number and builds the task definition ARN', () => {
    const task = taskFromMetadata(fixture('v4-ec2-task.json'));

    expect(task.revision).toBe(12);
    expect(task.taskDefinitionArn).toBe(
      'arn:aws:ecs:eu-central-1:444455556666:task-definition/invoice-export:12',
    );
  });

  it('reads VPCID, AvailabilityZone and LaunchType from a v4 response', () => {
    const task = taskFromMetadata(fixture('v4-fargate-task.json'));

    expect(task).toMatchObject({
      vpcId: 'vpc-0123abcd4567ef890',
      availabilityZone: 'us-east-1c',
      launchType: 'FARGATE',
    });
  });

  it('accepts the v2/v3 shape with an old-format task ARN and no zone, launch type or VPC', () => {
    const task = taskFromMetadata(fixture('v3-fargate-task-old-arn.json'));

    expect(task.taskId).toBe('3f2e1d0c-9b8a-4766-a554-433221100ffe');
    expect(task.clusterName).toBe('legacy-batch');
    expect(task.availabilityZone).toBeUndefined();
    expect(task.launchType).toBeUndefined();
    expect(task.vpcId).toBeUndefined();
  });

  it('leaves out the agent pause container', () => {
    const task = taskFromMetadata(fixture('v3-fargate-task-old-arn.json'));

    expect(task.containers.map((c) => c.name)).toEqual(['sync']);
  });

  it('takes the earliest container timestamps as the task times', () => {
    const task = taskFromMetadata(fixture('v4-ec2-task.json'));

    expect(task.createdAt?.toISOString()).toBe('2024-03-04T05:06:10.101Z');
    expect(task.startedAt?.toISOString()).toBe('2024-03-04T05:06:10.606Z');
  });

  it('reads an early task whose KnownStatus is NONE and which has no timestamps', () => {
    const task = taskFromMetadata(fixture('v4-fargate-task-pending.json'));

    expect(task.lastStatus).toBe('NONE');
    expect(task.createdAt).toBeUndefined();
    expect(task.startedAt).toBeUndefined();
  });

  it('reads TaskTags from a taskWithTags response', () => {
    const task = taskFromMetadata({ ...fixture('v4-fargate-task.json'), TaskTags: { team: 'reports' } });

    expect(task.tags).toEqual({ team: 'reports' });
  });

  it('says a container response is not a /task response', () => {
    expect(() => taskFromMetadata(fixture('v4-container.json'))).toThrow(/looks like a container response/);
  });

  it('names the field when Revision is not a revision', () => {
    const act = () => taskFromMetadata({ ...fixture('v4-ec2-task.json'), Revision: 'latest' });

    expect(act).toThrow(ValidationError);
    expect(act).toThrow(/^Revision /);
  });

  it('names TaskARN when it is not a task ARN', () => {
    expect(() => taskFromMetadata({ ...fixture('v4-ec2-task.json'), TaskARN: 'task/abc' })).toThrow(
      /^TaskARN expected a task ARN/,
    );
  });
});
