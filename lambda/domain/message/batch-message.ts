import { BATCH_LOG_GROUP } from '../batch/batch-job.js';
import { attemptWords, type BatchReport, batchCause } from '../batch/batch-report.js';
import { parseTaskArn } from '../task/arn.js';
import { formatTaskSize } from '../task/task-resources.js';
import { formatDuration } from '../task/timestamp.js';
import { buildCard, buildPlainCard, type CardSpec } from './card.js';
import { batchJobConsoleUrl, logStreamConsoleUrl, taskConsoleUrl } from './console-links.js';
import { composeLine, type FirstLine } from './first-line.js';
import { dateTime, placeWords } from './kind-rows.js';
import type { SlackMessage } from './slack-message.js';

/** `job nightly-import (attempt 3 of 3) failed in batch (vpc-b): its EC2 host was terminated: i-0122…`. */
export function batchFirstLine(report: BatchReport): FirstLine {
  const { job, source } = report;
  const attempt = attemptWords(job);
  const index = job.arrayIndex === undefined ? '' : `[${job.arrayIndex}]`;
  const head = `job ${job.jobName}${index}${attempt ? ` (${attempt})` : ''} failed in ${source.label}`;
  return composeLine(head, batchCause(job));
}

/** The card of a Batch job that failed. */
export function buildBatchMessage(report: BatchReport): SlackMessage {
  return buildCard(batchCard(report));
}

export function buildPlainBatchMessage(report: BatchReport): SlackMessage {
  return buildPlainCard(batchCard(report), `Job: ${report.job.jobArn ?? report.job.jobId}`);
}

function batchCard(report: BatchReport): CardSpec {
  const { job, source } = report;
  const first = batchFirstLine(report);
  const links: CardSpec['links'] = [[batchJobConsoleUrl(job), 'job']];
  if (job.logStreamName)
    links.push([
      logStreamConsoleUrl({
        group: job.logGroup ?? BATCH_LOG_GROUP,
        stream: job.logStreamName,
        region: job.region,
        partition: job.partition,
      }),
      'log stream',
    ]);
  const task = taskOf(job.taskArn);
  if (task && job.clusterName)
    links.push([
      taskConsoleUrl({ ...task, clusterName: job.clusterName, partition: job.partition }),
      'ECS task',
    ]);
  return {
    outcome: report.outcome,
    first,
    source,
    crossCheck: report.crossCheck,
    checkedBy: {
      api: 'DescribeJobs',
      what: 'job definition',
      eventSays: `${job.definitionName}:${job.revision ?? '?'}`,
    },
    rows: [
      ['Reason', first.detailCut ? first.cause?.detail : undefined],
      ['Job definition', `${job.definitionName}:${job.revision ?? '?'}`],
      ['Queue', job.queueName],
      ['Ran on', placeWords(source, job.clusterName, job.region)],
      ['When', when(report)],
      ['Attempts', attempts(report)],
      ['Image', job.image],
      ['Size', job.vcpus || job.memory ? formatTaskSize(vcpuUnits(job.vcpus), job.memory) : undefined],
    ],
    links,
  };
}

/** `2025-04-23 00:43:39 UTC → 00:48:51 · 5m 12s`. */
function when(report: BatchReport): string | undefined {
  const { createdAt, stoppedAt } = report.job;
  if (!createdAt || !stoppedAt) return dateTime(stoppedAt ?? createdAt);
  const end = dateTime(stoppedAt) as string;
  const sameDay = createdAt.toISOString().slice(0, 10) === stoppedAt.toISOString().slice(0, 10);
  return `${dateTime(createdAt)} → ${sameDay ? end.slice(11) : end} · ${formatDuration(stoppedAt.getTime() - createdAt.getTime())}`;
}

/** Each attempt's end in a few words, when there were several: `3 × Host EC2 (instance i-…) terminated.` */
function attempts(report: BatchReport): string | undefined {
  const list = report.job.attempts;
  if (list.length < 2) return undefined;
  const said = list.map(
    (a) => a.statusReason ?? (a.exitCode === undefined ? 'no reason' : `exit ${a.exitCode}`),
  );
  const distinct = [...new Set(said)];
  return distinct.length === 1
    ? `${list.length} × ${distinct[0]}`
    : said.map((s, i) => `${i + 1}: ${s}`).join('\n');
}

/** Batch gives vCPUs (`2`); a task's size reads CPU units (`2048`). */
function vcpuUnits(vcpus: string | undefined): string | undefined {
  const n = Number(vcpus);
  return vcpus && Number.isFinite(n) ? String(Math.round(n * 1024)) : undefined;
}

function taskOf(taskArn: string | undefined): { taskId: string; region: string } | undefined {
  if (!taskArn) return undefined;
  try {
    const ref = parseTaskArn(taskArn);
    return { taskId: ref.taskId, region: ref.region };
  } catch {
    return undefined;
  }
}
