import { LAMBDA_NODE_MAJOR } from '../lib/lambda-runtime.js';

// The same Node.js major version as the deployed function, for the notifier and the services alike.
/** The image of every compose container but the notifier. */
export const NODE_IMAGE = `node:${LAMBDA_NODE_MAJOR}-slim`;
/** The notifier's image: the Lambda base image, with its runtime interface emulator. */
export const LAMBDA_IMAGE = `public.ecr.aws/lambda/nodejs:${LAMBDA_NODE_MAJOR}`;
