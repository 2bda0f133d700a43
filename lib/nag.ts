import { type App, type IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The cdk-nag packs every synth runs: AWS Solutions and Serverless. */
export function nagPacks(
  scope: IConstruct,
): Array<IPolicyValidationPlugin & Pick<AwsSolutionsChecks, 'validateScope'>> {
  return [new AwsSolutionsChecks(scope), new ServerlessChecks(scope)];
}

/** Runs the packs on every synth; an unacknowledged finding fails it. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(...nagPacks(app));
}
