// The CLI's process entry: what `dist/run.js` (built by `npm run build`) and `npm run dev` run.
import { main } from './main.js';

// The AWS SDK warns on Node 20 (to stderr); a CLI user can do nothing about it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
