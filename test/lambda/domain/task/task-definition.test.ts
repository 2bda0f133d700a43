import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambda/domain/config/validation.js';
import { taskDefinitionFromEcs } from '../../../../lambda/domain/task/task-definition.js';
import { loadFixture } from '../../../support/fixtures.js';

describe('taskDefinitionFromEcs', () => {
  it('reads saved describe-task-definition output: size, images, essential flags and log configuration', () => {
    const { taskDefinition } = loadFixture<{ taskDefinition: unknown }>('task-definitions/cli-v1-ec2.json');

    expect(taskDefinitionFromEcs(taskDefinition)).toEqual({
      taskDefinitionArn: 'arn:aws:ecs:us-east-2:444455556666:task-definition/customer-import:7',
      family: 'customer-import',
      revision: 7,
      containers: [
        {
          name: 'import',
          image: '444455556666.dkr.ecr.us-east-2.amazonaws.com/customer-import:2024-11-04',
          essential: true,
          logDriver: 'awslogs',
          logOptions: { 'awslogs-group': '/ecs/customer-import', 'awslogs-region': 'us-east-2' },
        },
        {
          name: 'log-router',
          image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2',
          essential: false,
          logDriver: 'json-file',
          logOptions: { 'max-size': '10m' },
        },
      ],
    });
  });

  it('takes a container without `essential` as essential, as ECS does, and one without logConfiguration as such', () => {
    const definition = taskDefinitionFromEcs({
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/job:3',
      family: 'job',
      revision: 3,
      cpu: '1024',
      memory: '2048',
      containerDefinitions: [{ name: 'job' }],
    });

    expect(definition.containers).toEqual([{ name: 'job', essential: true, logOptions: {} }]);
    expect(definition).toMatchObject({ cpu: '1024', memory: '2048' });
  });

  it('names the field when one it needs is missing', () => {
    expect(() =>
      taskDefinitionFromEcs({ taskDefinitionArn: 'arn:x', family: 'job', revision: 3 }, 'taskDefinition'),
    ).toThrow(new ValidationError('taskDefinition.containerDefinitions', 'is required'));
  });
});
