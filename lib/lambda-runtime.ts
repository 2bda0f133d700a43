import { Runtime } from 'aws-cdk-lib/aws-lambda';

/** The Node.js runtime the notifier Lambda runs on: the stack deploys it, compose runs its image. */
export const LAMBDA_RUNTIME: Runtime = Runtime.NODEJS_24_X;

/** Its Node.js major version (24 for `nodejs24.x`), for local images that must match it. */
export const LAMBDA_NODE_MAJOR: number = nodeMajor(LAMBDA_RUNTIME.name);

function nodeMajor(runtimeName: string): number {
  const match = /^nodejs(\d+)\.x$/.exec(runtimeName);
  if (!match) throw new Error(`expected a Node.js runtime such as nodejs24.x, got ${runtimeName}`);
  return Number(match[1]);
}
