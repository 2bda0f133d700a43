import type { KnownBlock } from '@slack/types';
import type { Report } from '../report/report.js';
import type { Outcome } from '../task/task.js';
import { groupByCause } from './failure-causes.js';
import { OUTCOME_STYLE } from './first-line.js';
import { viewOf } from './report-view.js';
import { headerBlock, notificationLine, type SlackMessage } from './slack-message.js';
import { fieldTable, ourMrkdwn, plainText, SLACK_LIMITS, slackLink, truncate } from './slack-text.js';
import { humanSpan } from './time-span.js';

/** How long a live digest takes more of its family's stops, from its first: later ones start another. */
export const LIVE_WINDOW_MS = 3_600_000;
/** Causes a live digest keeps by name; the rest are counted together. */
export const LIVE_CAUSES = 12;
/** Reports linked by ID under each cause. */
const LINKS = 3;
/** Names (`family:revision`) kept for the first line. */
const NAMES = 5;
const WORST_FIRST = ['failed', 'stopped', 'in-progress', 'succeeded'] as const;

/** A cause of a live digest: how many ended this way, and the first few linked. */
export interface LiveCause {
  outcome: Outcome;
  cause: string;
  count: number;
  links: string[];
}

/**
 * What a live digest shows, counted over every invocation of its window: small whatever the
 * storm (a few names, at most {@link LIVE_CAUSES} causes), so it fits one ledger item, and
 * merged exactly, so any invocation can re-render the whole message from it.
 */
export interface LiveAggregate {
  source: string;
  names: string[];
  noun: 'tasks' | 'jobs' | 'events';
  counts: Partial<Record<Outcome, number>>;
  causes: LiveCause[];
  /** Invocations merged into it: the first posts, each later one updates. */
  batches: number;
  /** Reports whose cause did not fit among {@link LIVE_CAUSES}. */
  otherCauses: number;
  /** Epoch milliseconds of the first and last report, when they said. */
  firstAt?: number;
  lastAt?: number;
  /** The console page that lists them all (a cluster's tasks). */
  list?: { url: string; label: string };
}

/** The aggregate of one invocation's reports of one route, source and family. */
export function aggregateOf(reports: readonly Report[]): LiveAggregate {
  const first = reports[0];
  if (!first) throw new Error('a live digest needs at least one report');
  const items = reports.map((report) => ({ report, outcome: report.outcome, view: viewOf(report) }));
  const counts: Partial<Record<Outcome, number>> = {};
  for (const i of items) counts[i.outcome] = (counts[i.outcome] ?? 0) + 1;
  const times = items.flatMap((i) => (i.view.at ? [i.view.at.getTime()] : []));
  const page = items.find((i) => i.view.list)?.view.list;
  const kinds = new Set(reports.map((r) => r.kind));
  return {
    source: first.source.label,
    names: [...new Set(items.map((i) => i.view.name))].slice(0, NAMES),
    noun:
      kinds.size > 1
        ? 'events'
        : first.kind === 'task'
          ? 'tasks'
          : first.kind === 'batch'
            ? 'jobs'
            : 'events',
    counts,
    causes: groupByCause(items, (i, max) => i.view.cause(max)).map((g) => ({
      outcome: g.outcome,
      cause: g.cause,
      count: g.reports.length,
      links: g.reports.flatMap((i) => i.view.link() ?? []).slice(0, LINKS),
    })),
    batches: 1,
    otherCauses: 0,
    ...(times.length > 0 ? { firstAt: Math.min(...times), lastAt: Math.max(...times) } : {}),
    ...(page ? { list: { url: page.url, label: `${page.what} in ${page.name}` } } : {}),
  };
}

/** Both aggregates as one: counts added, causes merged by outcome and words, the span widened. */
export function mergeAggregates(a: LiveAggregate, b: LiveAggregate): LiveAggregate {
  const counts = { ...a.counts };
  for (const [outcome, n] of Object.entries(b.counts) as [Outcome, number][])
    counts[outcome] = (counts[outcome] ?? 0) + n;
  const causes = new Map(a.causes.map((c) => [`${c.outcome}\u0000${c.cause}`, { ...c }]));
  for (const c of b.causes) {
    const key = `${c.outcome}\u0000${c.cause}`;
    const known = causes.get(key);
    if (known) {
      known.count += c.count;
      known.links = [...new Set([...known.links, ...c.links])].slice(0, LINKS);
    } else causes.set(key, { ...c });
  }
  const sorted = [...causes.values()].sort(
    (x, y) => Number(y.outcome === 'failed') - Number(x.outcome === 'failed') || y.count - x.count,
  );
  const cut = sorted.slice(LIVE_CAUSES).reduce((n, c) => n + c.count, 0);
  const at = (f: (...n: number[]) => number, x?: number, y?: number) =>
    x === undefined ? y : y === undefined ? x : f(x, y);
  const firstAt = at(Math.min, a.firstAt, b.firstAt);
  const lastAt = at(Math.max, a.lastAt, b.lastAt);
  const list = a.list ?? b.list;
  return {
    source: a.source,
    names: [...new Set([...a.names, ...b.names])].slice(0, NAMES),
    noun: a.noun === b.noun ? a.noun : 'events',
    counts,
    causes: sorted.slice(0, LIVE_CAUSES),
    batches: a.batches + b.batches,
    otherCauses: a.otherCauses + b.otherCauses + cut,
    ...(firstAt === undefined ? {} : { firstAt }),
    ...(lastAt === undefined ? {} : { lastAt }),
    ...(list ? { list } : {}),
  };
}

/** How many reports the aggregate counts. */
export function aggregateTotal(aggregate: LiveAggregate): number {
  return Object.values(aggregate.counts).reduce((n, c) => n + (c ?? 0), 0);
}

/**
 * A live digest's message from its aggregate: the first line as a digest's (names, counts worst
 * first, source, span), a line per cause with a few reports linked, and when it was last updated
 * and how often (`Live since 07:00 UTC, updated 12×`), so a reader sees it is still counting.
 */
export function buildLiveDigestMessage(aggregate: LiveAggregate, live: { since: number }): SlackMessage {
  const { counts } = aggregate;
  const worst = WORST_FIRST.find((o) => (counts[o] ?? 0) > 0) ?? 'succeeded';
  const style = OUTCOME_STYLE[worst];
  const described = WORST_FIRST.filter((o) => (counts[o] ?? 0) > 0)
    .map((o) => `${counts[o]} ${OUTCOME_STYLE[o].word}`)
    .join(', ');
  const took =
    aggregate.firstAt !== undefined && aggregate.lastAt !== undefined
      ? ` · ${humanSpan(aggregate.lastAt - aggregate.firstAt)}`
      : '';
  const line = `${truncate(aggregate.names.join(', '), 90)}: ${described} of ${aggregateTotal(aggregate)} ${aggregate.noun} in ${truncate(aggregate.source, 80)}${took}`;
  const since = new Date(live.since).toISOString().slice(11, 16);
  const footer = ourMrkdwn(
    `Live since ${since} UTC${aggregate.batches > 1 ? `, updated ${aggregate.batches - 1}×` : ''}${aggregate.list ? `  ·  ${slackLink(aggregate.list.url, aggregate.list.label)}` : ''}`,
  );
  if (worst === 'succeeded')
    return {
      text: notificationLine(line, style),
      blocks: [
        { type: 'context', elements: [plainText(`${style.glyph} ${line}`, SLACK_LIMITS.context), footer] },
      ],
    };
  const blocks: KnownBlock[] = [
    ...fieldTable([['When', spanRange(aggregate)]]),
    ...aggregate.causes.map(
      (c): KnownBlock => ({
        type: 'section',
        fields: [
          plainText(`${OUTCOME_STYLE[c.outcome].glyph} ${c.count} × ${truncate(c.cause, 120)}`, 140),
          ...(c.links.length > 0 ? [ourMrkdwn(c.links.join('  ·  '))] : []),
        ],
      }),
    ),
    ...(aggregate.otherCauses > 0
      ? [
          {
            type: 'context' as const,
            elements: [ourMrkdwn(`…and ${aggregate.otherCauses} more with other causes`)],
          },
        ]
      : []),
    { type: 'context', elements: [footer] },
  ];
  return {
    text: notificationLine(line, style),
    blocks: [headerBlock(line, style)],
    attachments: [{ color: style.color, blocks }],
  };
}

function spanRange(aggregate: LiveAggregate): string | undefined {
  if (aggregate.firstAt === undefined || aggregate.lastAt === undefined) return undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  return `${iso(aggregate.firstAt).slice(11, 19)} → ${iso(aggregate.lastAt).slice(11, 19)} UTC`;
}
