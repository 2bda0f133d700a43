#!/usr/bin/env node
// Runs the TypeScript CLI straight from source through tsx: no build step after `npm ci`.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on Node 20 (to stderr); a CLI user can do nothing about it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
