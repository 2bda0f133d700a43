// `npm run bench`: cold start, per-event cost, replay throughput, a 1,000-task burst, a storm of
// 10,000 task stops through the event source's own batching, and bundle size, each against a
// baseline or target measured in the same run. Progress on stderr, the table on stdout, the
// figures as JSON with --json, or into bench/results.json with --save. Exits 0 even when a target
// is missed; non-zero if it broke.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { bundleLikeTheStack, measureBundle, REPO_ROOT } from './bundle.js';
import { measureBurst } from './burst.js';
import { progress } from './child.js';
import { measureColdStarts } from './cold-start.js';
import { synthDeployedBundle } from './deployed-bundle.js';
import { BENCH_CONFIG } from './fixtures.js';
import { BYTES_BEFORE, measureMessageBytes } from './message-bytes.js';
import { measureReplay } from './replay.js';
import { percentile, round } from './stats.js';
import { measureStorm } from './storm.js';
import { measureAppStorm } from './storm-app.js';
import { type Row, renderTable } from './table.js';
import { measureWarm } from './warm.js';

const COLD_RUNS = 21;
const WARM_EVENTS = 2000;
const WARM_UP = 200;
const REPLAY_EVENTS = 100_000;
const BURST_EVENTS = 1000;
const BURST_RATE = 50;
const STORM_EVENTS = 10_000;
const STORM_SECONDS = 60;
/** Slack's own pace for one webhook. */
const SLACK_RATE = 1;

const TARGETS = {
  coldRatio: 1.3,
  warmP50Ms: 2,
  warmP99Ms: 10,
  replayEventsPerS: 10_000,
  /** Replay's events a second as a share of reading, parsing and writing the same events alone. */
  replayOverFloor: 0.3,
  replayPeakRssMb: 200,
  burstHttp429: 5,
  burstWallOverFloor: 1.5,
  bundleRatio: 1.2,
  stormMessages: 30,
  /** App mode: top-level posts of a 10,000-stop storm (one live message per source and family). */
  stormAppPosts: 10,
  stormSlackSeconds: 60,
  loneLatencyS: 10,
};

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

const HELP = `Usage: npm run bench [-- --save] [-- --verbose]

Measures cold start, per-event cost, replay throughput, a ${BURST_EVENTS}-task burst, a storm of
${STORM_EVENTS} task stops and the bundle's size, each against a target or a baseline measured in
the same run (about three minutes on two cores). Progress goes to stderr, the table to stdout.
The checkout is left as it was unless --save is given. Exits 0 when a target is missed, non-zero
when the bench breaks.

Options:
  --save     write the figures to bench/results.json (the committed record of the latest run)
  --verbose  also list the storm's invocations (records/duration) and its messages in order
             (D: a digest, s: one task stop)
  --help     show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      save: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  // The AWS SDK warns on Node 20, once per process: the bench's own clients (dynalite) and the
  // Lambda instances it starts would print it among the progress lines.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = performance.now();
  const work = mkdtempSync(path.join(tmpdir(), 'ecs-task-notifier-bench-'));
  progress(`synthesizing the app (the Lambda bundled as the stack deploys it) in ${work}`);
  const deployed = synthDeployedBundle(BENCH_CONFIG);
  try {
    const baseline = await bundleLikeTheStack(
      { file: path.join(REPO_ROOT, 'bench/baseline/handler.ts') },
      path.join(work, 'baseline'),
    );
    const bundles = { notifier: deployed.file, baseline: baseline.file };

    progress('bundle: the SDK floor and the handler rebuilt with the same options');
    const bundle = await measureBundle(deployed.file, work);
    if (bundle.rebuiltBytes !== bundle.bytes)
      progress(
        `warning: rebuilding lambda/handler.ts gave ${bundle.rebuiltBytes} bytes, the stack ${bundle.bytes}`,
      );

    progress(`cold start: ${COLD_RUNS} runs each, notifier and baseline interleaved`);
    const cold = await measureColdStarts(bundles, deployed.environment, COLD_RUNS);
    const warm = await measureWarm(bundles, deployed.environment, WARM_EVENTS, WARM_UP);
    const burst = await measureBurst(deployed.file, deployed.environment, BURST_EVENTS, BURST_RATE);
    const replay = await measureReplay(work, REPLAY_EVENTS);
    const storm = await measureStorm(deployed, STORM_EVENTS, STORM_SECONDS, SLACK_RATE, values.verbose);
    const appStorm = await measureAppStorm(
      STORM_EVENTS,
      deployed.settings.batchSize,
      deployed.settings.maxConcurrency,
    );
    const messageBytes = measureMessageBytes();
    const settings = deployed.settings;

    const p50 = percentile(warm.notifierMs, 50);
    const p99 = percentile(warm.notifierMs, 99);
    const baseP50 = percentile(warm.baselineMs, 50);
    const baseP99 = percentile(warm.baselineMs, 99);
    const results: Record<string, number | string> = {
      'cold.ms': round(cold.notifier.median, 1),
      'cold.baselineMs': round(cold.baseline.median, 1),
      'cold.ratio': round(cold.notifier.median / cold.baseline.median, 3),
      'cold.minMs': round(cold.notifier.min, 1),
      'cold.maxMs': round(cold.notifier.max, 1),
      'cold.baselineMinMs': round(cold.baseline.min, 1),
      'cold.baselineMaxMs': round(cold.baseline.max, 1),
      'cold.runs': cold.runs,
      'warm.p50Ms': round(p50, 3),
      'warm.p99Ms': round(p99, 3),
      'warm.maxMs': round(Math.max(...warm.notifierMs), 3),
      'warm.baselineP50Ms': round(baseP50, 3),
      'warm.baselineP99Ms': round(baseP99, 3),
      'warm.events': WARM_EVENTS,
      'replay.eventsPerS': Math.round(replay.eventsPerS),
      'replay.peakRssMb': round(replay.peakRssMb, 1),
      'replay.events': replay.events,
      'replay.seconds': round(replay.seconds, 2),
      'replay.floorEventsPerS': Math.round(replay.floorEventsPerS),
      'replay.overFloor': round(replay.eventsPerS / replay.floorEventsPerS, 3),
      'replay.rssSource': replay.rssSource,
      'burst.accounted': burst.accounted,
      'burst.duplicates': burst.duplicates,
      'burst.http429': burst.http429,
      'burst.wallS': round(burst.wallS, 2),
      'burst.floorS': round(burst.floorS, 2),
      'burst.events': burst.events,
      'burst.messages': burst.messages,
      'burst.itemFailures': burst.itemFailures,
      'burst.undelivered': burst.undelivered,
      'burst.ratePerSecond': BURST_RATE,
      'storm.events': storm.events,
      'storm.accounted': storm.accounted,
      'storm.duplicates': storm.duplicates,
      'storm.messages': storm.messages,
      'storm.failed': storm.failed,
      'storm.failedShown': storm.failedShown,
      'storm.slackSeconds': round(storm.messages / SLACK_RATE, 1),
      'storm.invocations': storm.invocations,
      'storm.invokeP99Ms': round(storm.invokeP99Ms, 0),
      'storm.invokeCpuP99Ms': round(storm.invokeCpuP99Ms, 0),
      'storm.peakRssMb': round(storm.peakRssMb, 1),
      'storm.http429': storm.http429,
      'storm.deadLetters': storm.deadLetters,
      'storm.wallS': round(storm.wallS, 1),
      'storm.settings': `batchSize ${settings.batchSize}, window ${settings.batchWindowSeconds} s, maxConcurrency ${settings.maxConcurrency}, timeout ${settings.timeoutSeconds} s, memory ${settings.memoryMb} MB`,
      'lone.latencyS': round(storm.loneLatencyS, 2),
      'stormApp.accounted': appStorm.accounted,
      'stormApp.posts': appStorm.posts,
      'stormApp.updates': appStorm.updates,
      'stormApp.replies': appStorm.replies,
      'stormApp.failedCounted': appStorm.failedCounted,
      'stormApp.failed': appStorm.failed,
      'stormApp.invocations': appStorm.invocations,
      'stormApp.wallS': round(appStorm.wallS, 1),
      ...Object.fromEntries(
        Object.entries(messageBytes).map(([kind, bytes]) => [`message.bytes.${kind}`, bytes]),
      ),
      'bundle.bytes': bundle.bytes,
      'bundle.sdkFloorBytes': bundle.sdkFloorBytes,
      'bundle.ratio': round(bundle.ratio, 3),
      'bundle.sdkCommandsFloorBytes': bundle.sdkCommandsFloorBytes,
      'bundle.commandsRatio': round(bundle.commandsRatio, 3),
      'bundle.baselineBytes': baseline.bytes,
      'bundle.baselineRatio': round(bundle.bytes / baseline.bytes, 3),
      'bundle.rebuiltBytes': bundle.rebuiltBytes,
      'machine.node': process.version,
      'machine.nproc': cpus().length,
      'machine.cpu': cpuModel(),
      'run.date': new Date().toISOString(),
      'run.seconds': round((performance.now() - started) / 1000, 1),
    };
    if (values.save) {
      writeFileSync(path.join(REPO_ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
      progress('bench: the figures are in bench/results.json');
    }

    const ms = (v: number) => `${round(v, 1)} ms`;
    const rows: Row[] = [
      {
        figure: `cold start, median of ${cold.runs} (min–max)`,
        value: `${ms(cold.notifier.median)} (${round(cold.notifier.min, 0)}–${round(cold.notifier.max, 0)})`,
        target: '',
        baseline: `${ms(cold.baseline.median)} (${round(cold.baseline.min, 0)}–${round(cold.baseline.max, 0)})`,
      },
      {
        figure: 'cold.ratio',
        value: String(results['cold.ratio']),
        target: `≤ ${TARGETS.coldRatio}`,
        baseline: '1',
        pass: cold.notifier.median / cold.baseline.median <= TARGETS.coldRatio,
      },
      {
        figure: `warm.p50Ms (${WARM_EVENTS} events)`,
        value: `${round(p50, 2)} ms`,
        target: `≤ ${TARGETS.warmP50Ms} ms`,
        baseline: `${round(baseP50, 2)} ms`,
        pass: p50 <= TARGETS.warmP50Ms,
      },
      {
        figure: 'warm.p99Ms',
        value: `${round(p99, 2)} ms`,
        target: `≤ ${TARGETS.warmP99Ms} ms`,
        baseline: `${round(baseP99, 2)} ms`,
        pass: p99 <= TARGETS.warmP99Ms,
      },
      {
        figure: `replay.eventsPerS (${replay.events} events)`,
        value: `${Math.round(replay.eventsPerS)}/s`,
        target: `≥ ${TARGETS.replayEventsPerS}/s`,
        baseline: `${Math.round(replay.floorEventsPerS)}/s (read, parse, write only)`,
        pass: replay.eventsPerS >= TARGETS.replayEventsPerS,
      },
      {
        figure: 'replay.overFloor',
        value: String(results['replay.overFloor']),
        target: `≥ ${TARGETS.replayOverFloor}`,
        baseline: '1 (the floor)',
        pass: replay.eventsPerS / replay.floorEventsPerS >= TARGETS.replayOverFloor,
      },
      {
        figure: 'replay.peakRssMb',
        value: `${round(replay.peakRssMb, 1)} MB`,
        target: `≤ ${TARGETS.replayPeakRssMb} MB`,
        baseline: '',
        pass: replay.peakRssMb <= TARGETS.replayPeakRssMb,
      },
      {
        figure: 'burst.accounted',
        value: `${burst.accounted} of ${burst.events}`,
        target: `${burst.events}`,
        baseline: '',
        pass: burst.accounted === burst.events,
      },
      {
        figure: 'burst.duplicates',
        value: String(burst.duplicates),
        target: '0',
        baseline: '',
        pass: burst.duplicates === 0,
      },
      {
        figure: 'burst.http429',
        value: String(burst.http429),
        target: `≤ ${TARGETS.burstHttp429}`,
        baseline: '',
        pass: burst.http429 <= TARGETS.burstHttp429,
      },
      {
        figure: `burst.wallS (${BURST_RATE}/s)`,
        value: `${round(burst.wallS, 2)} s`,
        target: `≤ ${TARGETS.burstWallOverFloor} × floor`,
        baseline: `floor ${round(burst.floorS, 2)} s`,
        pass: burst.wallS <= TARGETS.burstWallOverFloor * burst.floorS,
      },
      {
        figure: `storm.accounted (${storm.events} stops in ${STORM_SECONDS} s)`,
        value: `${storm.accounted} of ${storm.events}`,
        target: `${storm.events}`,
        baseline: '',
        pass: storm.accounted === storm.events,
      },
      {
        figure: 'storm.duplicates',
        value: String(storm.duplicates),
        target: '0',
        baseline: '',
        pass: storm.duplicates === 0,
      },
      {
        figure: 'storm.messages',
        value: String(storm.messages),
        target: `≤ ${TARGETS.stormMessages}`,
        baseline: `${storm.invocations} invocations`,
        pass: storm.messages <= TARGETS.stormMessages,
      },
      {
        figure: 'storm.failedShown',
        value: `${storm.failedShown} of ${storm.failed}`,
        target: `${storm.failed}`,
        baseline: '',
        pass: storm.failedShown === storm.failed,
      },
      {
        figure: `storm.slackSeconds (at ${SLACK_RATE}/s)`,
        value: `${round(storm.messages / SLACK_RATE, 1)} s`,
        target: `≤ ${TARGETS.stormSlackSeconds} s`,
        baseline: '',
        pass: storm.messages / SLACK_RATE <= TARGETS.stormSlackSeconds,
      },
      {
        figure: 'storm.invokeP99Ms (DynamoDB on dynalite)',
        value: `${round(storm.invokeP99Ms, 0)} ms`,
        target: `< ${settings.timeoutSeconds * 1000} ms`,
        baseline: `CPU ${round(storm.invokeCpuP99Ms, 0)} ms`,
        pass: storm.invokeP99Ms < settings.timeoutSeconds * 1000,
      },
      {
        figure: 'storm.peakRssMb',
        value: `${round(storm.peakRssMb, 1)} MB`,
        target: `< ${settings.memoryMb} MB`,
        baseline: '',
        pass: storm.peakRssMb < settings.memoryMb,
      },
      {
        figure: 'lone.latencyS',
        value: `${round(storm.loneLatencyS, 2)} s`,
        target: `≤ ${TARGETS.loneLatencyS} s`,
        baseline: `window ${settings.batchWindowSeconds} s`,
        pass: storm.loneLatencyS <= TARGETS.loneLatencyS,
      },
      {
        figure: `stormApp.posts (app mode, ${appStorm.events} stops)`,
        value: `${appStorm.posts} posts, ${appStorm.updates} updates, ${appStorm.replies} replies`,
        target: `≤ ${TARGETS.stormAppPosts} posts`,
        baseline: `${appStorm.invocations} invocations`,
        pass: appStorm.posts <= TARGETS.stormAppPosts && appStorm.accounted === appStorm.events,
      },
      {
        figure: 'stormApp.failedCounted',
        value: `${appStorm.failedCounted} of ${appStorm.failed}`,
        target: `${appStorm.failed}`,
        baseline: '',
        pass: appStorm.failedCounted === appStorm.failed,
      },
      {
        figure: 'bundle.bytes',
        value: `${bundle.bytes}`,
        target: '',
        baseline: `SDK floor ${bundle.sdkFloorBytes}`,
      },
      {
        figure: 'bundle.ratio',
        value: String(results['bundle.ratio']),
        target: `≤ ${TARGETS.bundleRatio}`,
        baseline: '1',
        pass: bundle.ratio <= TARGETS.bundleRatio,
      },
      {
        figure: 'bundle.baselineRatio (against the one-file baseline)',
        value: String(round(bundle.bytes / baseline.bytes, 3)),
        target: '(no target)',
        baseline: `baseline ${baseline.bytes}`,
      },
      {
        figure: 'bundle.commandsRatio (stricter floor: only the SDK calls made)',
        value: String(results['bundle.commandsRatio']),
        target: '(no target)',
        baseline: `floor ${bundle.sdkCommandsFloorBytes}`,
      },
      ...Object.entries(messageBytes).map(
        ([kind, bytes]): Row => ({
          figure: `message.bytes.${kind}`,
          value: `${bytes} B`,
          target: `< before`,
          baseline: `before ${BYTES_BEFORE[kind] ?? '?'} B`,
          pass: bytes < (BYTES_BEFORE[kind] ?? Number.POSITIVE_INFINITY),
        }),
      ),
    ];
    process.stdout.write(`${renderTable(rows)}\n`);
    progress(
      `done in ${results['run.seconds']} s on ${results['machine.nproc']} × ${results['machine.cpu']}, Node ${process.version}; figures in bench/results.json`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(deployed.outdir, { recursive: true, force: true });
  }
}

main().catch((error: Error & { code?: string }) => {
  if (error.code?.startsWith('ERR_PARSE_ARGS')) {
    progress(`${error.message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  progress(`the bench broke: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
