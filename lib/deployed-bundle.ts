import path from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import { AssetManifestArtifact, type CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';

/** The notifier function's code as the stack deploys it. */
export interface DeployedBundle {
  /** The `index.mjs` of the function's code asset. */
  file: string;
  /** The function's environment variables that are plain strings (not deploy-time references). */
  environment: Record<string, string>;
}

/**
 * Where the asset manifest of `stack` puts the code of its one Lambda function (the asset named by
 * the function's `Code.S3Key`), and the function's environment. Throws when it cannot be found.
 */
export function findDeployedBundle(app: App, stack: Stack): DeployedBundle {
  return bundleOfStackArtifact(app.synth().getStackArtifact(stack.artifactId));
}

/**
 * {@link findDeployedBundle} for a stack of a cloud assembly already written, e.g. the `cdk.out`
 * of `cdk deploy` read back with `new CloudAssembly(dir)`.
 */
export function bundleOfStackArtifact(template: CloudFormationStackArtifact): DeployedBundle {
  const resources = Object.values(template.template.Resources ?? {}) as {
    Type: string;
    Properties?: { Code?: { S3Key?: unknown }; Environment?: { Variables?: Record<string, unknown> } };
  }[];
  const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function');
  if (functions.length !== 1)
    throw new Error(`expected one Lambda function in ${template.stackName}, found ${functions.length}`);
  const properties = functions[0]?.Properties ?? {};
  const hash = String(properties.Code?.S3Key).replace(/\.zip$/, '');
  const manifest = template.dependencies.find(
    (artifact): artifact is AssetManifestArtifact => artifact instanceof AssetManifestArtifact,
  );
  const source = manifest?.contents.files?.[hash]?.source.path;
  if (!manifest || !source)
    throw new Error(`no file asset ${hash} in the asset manifest of ${template.stackName}`);
  const environment = Object.fromEntries(
    Object.entries(properties.Environment?.Variables ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return { file: path.join(path.dirname(manifest.file), source, 'index.mjs'), environment };
}
