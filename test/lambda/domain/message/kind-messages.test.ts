import { describe, expect, it } from 'vitest';
import { buildDigestMessage } from '../../../../lambda/domain/message/digest-message.js';
import {
  buildPlainReportMessage,
  buildReportMessage,
} from '../../../../lambda/domain/message/report-message.js';
import type { Report } from '../../../../lambda/domain/report/report.js';
import { kindReport } from '../../../support/kind-reports.js';
import { limitProblems, payloadTexts } from '../../../support/slack-payload.js';

/** The header's words (the first line), without the outcome's glyph. */
function header(report: Report): string {
  const message = buildReportMessage(report);
  const block = message.blocks?.[0] as { type: string; text: { text: string } };
  expect(block.type).toBe('header');
  return block.text.text.replace(/^\S+ /, '');
}

/** Label → value of the details table. */
function rows(report: Report): Record<string, string> {
  const fields = (buildReportMessage(report).attachments?.[0]?.blocks ?? []).flatMap(
    (b) => (b as { fields?: { text: string }[] }).fields ?? [],
  );
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2)
    out[(fields[i] as { text: string }).text.replace(/\*/g, '')] = (fields[i + 1] as { text: string }).text;
  return out;
}

const links = (report: Report) =>
  [...JSON.stringify(buildReportMessage(report)).matchAll(/<(https:[^|>]+)\|([^>]+)>/g)].map((m) => m[2]);

describe('a service that cannot place or start its tasks', () => {
  it('says the service, where, what it cannot do and why, then its revision', async () => {
    expect(header(await kindReport('service/placement-failure-memory'))).toBe(
      'web (service) in batch (vpc-b) cannot place tasks: RESOURCE:MEMORY — web:12',
    );
    expect(header(await kindReport('service/placement-failure-memory', { checked: false }))).toBe(
      'web (service) in batch (vpc-b) cannot place tasks: RESOURCE:MEMORY',
    );
    expect(header(await kindReport('service/start-impaired'))).toBe(
      'web (service) in batch (vpc-b) cannot start tasks — web:12',
    );
  });

  it('explains the reason code, quotes the service’s own last words, and says when ECS first said it', async () => {
    const details = rows(await kindReport('service/placement-failure-memory'));

    expect(details.Why).toBe('no container instance has enough memory left for a task');
    expect(details['ECS says']).toMatch(
      /^\(service web\) was unable to place a task .* insufficient memory available/,
    );
    expect(details.When).toBe('2025-02-10 07:12:41 UTC · first reported 2025-01-28 03:40 UTC');
    expect(details.Tasks).toBe('1 running of 3 desired, 2 pending');
  });

  it('links the service, its deployments and its task definition', async () => {
    expect(links(await kindReport('service/placement-failure-memory'))).toEqual([
      'service',
      'deployments',
      'task definition',
    ]);
  });
});

describe('a deployment that failed or rolls back', () => {
  it('says the deployment, its revision, why, and where the service went back to', async () => {
    expect(header(await kindReport('deployment/failed-circuit-breaker'))).toBe(
      'deployment ecs-svc/4471091638524190273 of web:13 failed in batch (vpc-b): circuit breaker: tasks failed to start (rolled back to web:12)',
    );
  });

  it('names the service instead of a revision DescribeServices did not give', async () => {
    expect(header(await kindReport('deployment/failed-circuit-breaker', { checked: false }))).toBe(
      'deployment ecs-svc/4471091638524190273 of web (service) failed in batch (vpc-b): circuit breaker: tasks failed to start',
    );
  });

  it('says a rollback is rolling back, and to what', async () => {
    expect(header(await kindReport('deployment/rollback-in-progress'))).toBe(
      'deployment of web (service) rolling back in batch (vpc-b): circuit breaker: rolling back to deployment ecs-svc/1302847765210938841 — web:12',
    );
  });
});

describe('a RunTask that launched nothing', () => {
  it('says what, where, why and who started it', async () => {
    expect(header(await kindReport('launch/run-task-resource-memory'))).toBe(
      'RunTask of nightly-report:42 in batch (vpc-a) never launched: RESOURCE:MEMORY (started by events-rule/nightly)',
    );
  });

  it('cuts the error message in the first line and shows it whole below', async () => {
    const report = await kindReport('launch/run-task-error');

    expect(header(report)).toMatch(
      /^RunTask of nightly-report:42 in batch \(vpc-a\) never launched: InvalidParameterException/,
    );
    expect(rows(report).Reason).toBe('No Container Instances were found in your cluster.');
  });

  it('links the CloudTrail event, and says nothing could be cross-checked', async () => {
    const report = await kindReport('launch/run-task-resource-memory');

    expect(links(report)).toEqual(['CloudTrail event', 'cluster tasks', 'task definition']);
    expect(JSON.stringify(buildReportMessage(report))).toContain(
      'no task was created, so there is nothing to cross-check',
    );
  });
});

describe('a Batch job that failed', () => {
  it('says the job, which attempt, where and why', async () => {
    expect(header(await kindReport('batch/failed-host-terminated'))).toBe(
      'job nightly-import (attempt 3 of 3) failed in batch (vpc-b): its EC2 host was terminated: i-05f9a2c7e3b1d8f6a',
    );
  });

  it('links the job and its log stream, in the group its job definition names', async () => {
    const report = await kindReport('batch/failed-exit-code');
    const text = JSON.stringify(buildReportMessage(report));

    expect(links(report)).toEqual(['job', 'log stream', 'ECS task']);
    expect(text).toContain(
      'log-group/$252Fbatch$252Fexports/log-events/customer-export$252Fdefault$252F5d8a1c4e7b2f4d9a8c3e6b1f4a7d2c5e',
    );
  });

  it('sums up attempts that ended the same way', async () => {
    const report = await kindReport('batch/failed-host-terminated', {
      change: (e) => {
        for (const a of e.detail.attempts as { statusReason: string }[])
          a.statusReason = 'Host EC2 (instance i-0a) terminated.';
      },
    });

    expect(rows(report).Attempts).toBe('3 × Host EC2 (instance i-0a) terminated.');
  });
});

describe('every kind', () => {
  const names = [
    'service/placement-failure-memory',
    'deployment/failed-circuit-breaker',
    'launch/run-task-fargate-capacity',
    'batch/failed-host-terminated',
  ];

  it('keeps Slack’s limits, eight rows at most, and outside words as plain text', async () => {
    for (const name of names) {
      const report = await kindReport(name);
      const message = buildReportMessage(report);
      expect(limitProblems(message)).toEqual([]);
      expect(Object.keys(rows(report)).length).toBeLessThanOrEqual(8);
      const mrkdwn = payloadTexts(message).filter((t) => t.kind === 'mrkdwn');
      // Our labels and links only: the URLs' own text aside, no outside word is mrkdwn.
      const ours = mrkdwn.map((t) => t.text.replace(/<[^|>]*\|/g, '<')).join(' ');
      expect(ours).not.toMatch(/RESOURCE|nightly-import|web:1|invoice-export/);
    }
  });

  it('has a text-only version with the first line and what it is about', async () => {
    for (const name of names) {
      const report = await kindReport(name);
      const plain = buildPlainReportMessage(report);
      expect(plain.blocks).toBeUndefined();
      expect(plain.text.split('\n')[0]).toContain(header(report).slice(0, 30).replaceAll('.', '.\u2060'));
    }
  });

  it('goes into one digest whatever the kinds, counted as events', async () => {
    const reports = await Promise.all(names.map((name) => kindReport(name)));
    const digest = buildDigestMessage(reports);

    expect(digest.text).toMatch(
      /^:x: web \(service\), web \(deployment\), invoice-export \+1: 4 failed of 4 events in batch \(vpc-b\), /,
    );
    expect(limitProblems(digest)).toEqual([]);
  });
});
