import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests run the built bin: build it from the current sources before any test.
    globalSetup: ['test/support/build-cli.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_DEV: 'false' },
    // Bounds a busy machine meets: a `cdk synth` that takes 15 s on a quiet machine took 65 s beside
    // other work. A test that hangs still fails, only later; none waits on these to pass.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Vitest's default is one worker on two cores; many tests wait on sockets and child processes.
    maxWorkers: 2,
  },
});
