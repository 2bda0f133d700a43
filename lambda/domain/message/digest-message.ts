import type { ContextBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import { countBy, groupBy } from '../collections.js';
import { digestKey } from '../report/keys.js';
import type { Report } from '../report/report.js';
import type { Outcome } from '../task/task.js';
import { type CauseGroup, groupByCause } from './failure-causes.js';
import { OUTCOME_STYLE } from './first-line.js';
import { type ReportView, viewOf } from './report-view.js';
import { headerBlock, notificationLine, type SlackMessage } from './slack-message.js';
import { fieldTable, ourMrkdwn, plainText, SLACK_LIMITS, slackLink, truncate } from './slack-text.js';
import { timeSpan } from './time-span.js';

/** A report and how a digest shows it. */
interface Item {
  report: Report;
  outcome: Outcome;
  view: ReportView;
}

/** Tasks linked by ID under each cause; the rest of the cause is counted, linked to the cluster. */
export const LINKS_PER_CAUSE = 3;
/** Blocks kept for the fields, the "also succeeded" and "not shown" lines and the console links. */
const RESERVED_BLOCKS = 6;
/** A cause line is cut here: a line, not a log. */
const CAUSE_LINE = 120;
/** Room for one task link in a cause's links field, beside the others and the count. */
const LINK_ROOM = Math.floor((SLACK_LIMITS.field - 400) / LINKS_PER_CAUSE);
/** Outcomes worst first: the digest takes the colour of the first present, and counts in this order. */
const WORST_FIRST = ['failed', 'stopped', 'in-progress', 'succeeded'] as const;
/** Clusters linked by name at the end; more are in the fields. */
const CLUSTER_LINKS = 8;

/**
 * One message for many notifications (a deployment's task stops, an array job, a storm), leading
 * with what failed: counts worst first, the sources and the span in its first line; then, failing
 * families first, what failed or was stopped grouped by cause, largest first, a few linked by ID
 * and the rest counted with a link to their list page (a cluster's tasks). Families that only
 * succeeded share one line; a digest of successes only is one line. Every limit of Slack is kept,
 * however many reports: what does not fit is counted in a last line.
 */
export function buildDigestMessage(reports: readonly Report[]): SlackMessage {
  const first = reports[0];
  if (!first) throw new Error('a digest needs at least one report');
  const items: Item[] = reports.map((report) => ({ report, outcome: report.outcome, view: viewOf(report) }));
  const counts = countOutcomes(items);
  const worst = WORST_FIRST.find((o) => counts.has(o)) ?? first.outcome;
  const style = OUTCOME_STYLE[worst];
  const sources = unique(reports.map((r) => r.source.label));
  const span = timeSpan(items.map((i) => i.view.at));
  // What did not succeed, most first, as the sections list it.
  const failing = new Map(
    [
      ...countBy(
        items.filter((i) => i.outcome !== 'succeeded'),
        (i) => i.view.name,
      ),
    ].sort((a, b) => b[1] - a[1]),
  );
  const line = `${namesFirst([...failing.keys()])}${describeCounts(counts)} of ${reports.length} ${noun(reports)} in ${truncate(sources.join(', '), 80)}${span ? ` · ${span.took}` : ''}`;
  if (worst === 'succeeded') {
    const links = listLinks(items, true);
    return {
      text: notificationLine(line, style),
      blocks: [
        {
          type: 'context',
          elements: [plainText(`${style.glyph} ${line}`, SLACK_LIMITS.context), ...links],
        },
      ],
    };
  }

  const families = orderFamilies(groupBy(items, (i) => digestKey(i.report)));
  const succeeded = families.filter((f) => f.every((i) => i.outcome === 'succeeded'));
  const listNames = unique(items.flatMap((i) => (i.view.list ? [i.view.list.name] : [])));
  const blocks: KnownBlock[] = [
    ...fieldTable([
      // The first line names up to three; the counts per name are news only when there are several.
      [
        'Not succeeded',
        failing.size > 1 ? [...failing].map(([d, n]) => `${d} (${n})`).join(', ') : undefined,
      ],
      [
        'Clusters',
        listNames.some((name) => !linkable(name)) || listNames.length > CLUSTER_LINKS
          ? listNames.join(', ')
          : undefined,
      ],
      ['VPC', unique(reports.flatMap((r) => (r.source.vpcId ? [r.source.vpcId] : []))).join(', ')],
      // The first line says how long.
      ['When', span?.range],
    ]),
  ];
  const notSucceeded = families.filter((f) => !succeeded.includes(f));
  const entries = notSucceeded.flatMap((family) => familyEntries(family, notSucceeded.length > 1));
  blocks.push(...fitEntries(entries, SLACK_LIMITS.blocks - blocks.length - RESERVED_BLOCKS));
  if (succeeded.length > 0) blocks.push(alsoSucceeded(succeeded));
  const links = listLinks(items);
  if (links.length > 0) blocks.push({ type: 'context', elements: links });
  return {
    text: notificationLine(line, style),
    blocks: [headerBlock(line, style)],
    attachments: [{ color: style.color, blocks }],
  };
}

/** What the digest counts: `tasks`, `jobs`, or `events` when its reports are of several kinds. */
function noun(reports: readonly Report[]): string {
  const kinds = new Set(reports.map((r) => r.kind));
  if (kinds.size > 1) return 'events';
  const [kind] = kinds;
  return kind === 'task' ? 'tasks' : kind === 'batch' ? 'jobs' : 'events';
}

/** The first three names and how many more, then a colon: `a:1, b:2, c:3 +2: `; none, nothing. */
function namesFirst(names: string[]): string {
  if (names.length === 0) return '';
  const more = names.length > 3 ? ` +${names.length - 3}` : '';
  return `${truncate(names.slice(0, 3).join(', '), 90)}${more}: `;
}

/** Families with failures first, then stops, each by how many did not succeed; then by name. */
function orderFamilies(families: Item[][]): Item[][] {
  const bad = (f: Item[], o: Outcome) => f.filter((i) => i.outcome === o).length;
  return families.sort(
    (a, b) =>
      bad(b, 'failed') - bad(a, 'failed') ||
      bad(b, 'stopped') - bad(a, 'stopped') ||
      digestKey((a[0] as Item).report).localeCompare(digestKey((b[0] as Item).report)),
  );
}

/** A family's blocks: its title (when there are several), then each cause and its reports. */
interface Entry {
  blocks: KnownBlock[];
  /** Reports this entry names or counts, so a cut entry can still be counted. */
  tasks: number;
  /** Whether it is a cause (counted in "not shown") or a family's title. */
  cause: boolean;
}

function familyEntries(items: Item[], titled: boolean): Entry[] {
  const first = items[0] as Item;
  const entries: Entry[] = [];
  if (titled) {
    const names = unique(items.map((i) => i.view.name));
    const title = `${names.join(', ')} in ${first.report.source.label}: ${describeCounts(countOutcomes(items))}`;
    entries.push({ blocks: [{ type: 'section', text: plainText(title, 300) }], tasks: 0, cause: false });
  }
  for (const group of groupByCause(items, (i, max) => i.view.cause(max)))
    entries.push({ blocks: [causeSection(group)], tasks: group.reports.length, cause: true });
  return entries;
}

/** A cause in one section: what happened, as plain text, beside a few of its reports linked. */
function causeSection(group: CauseGroup<Item>): SectionBlock {
  const style = OUTCOME_STYLE[group.outcome];
  // A link that would not fit the field (an absurd cluster name) is counted with the rest instead.
  const shown = group.reports
    .slice(0, LINKS_PER_CAUSE)
    .map((i) => i.view.link())
    .filter((link): link is string => link !== undefined && link.length <= LINK_ROOM);
  const more = group.reports.length - shown.length;
  const rest = group.reports[shown.length]?.view.list;
  const moreLink = rest ? slackLink(rest.url, `and ${more} more`) : '';
  const counted = more > 0 ? (moreLink && moreLink.length <= 350 ? moreLink : `and ${more} more`) : '';
  return {
    type: 'section',
    fields: [
      plainText(
        `${style.glyph} ${group.reports.length} × ${truncate(group.cause, CAUSE_LINE)}`,
        CAUSE_LINE + 20,
      ),
      ourMrkdwn([...shown, counted].filter(Boolean).join('  ·  ')),
    ],
  };
}

/** The entries that fit in `room` blocks; the rest are counted in one last line. */
function fitEntries(entries: Entry[], room: number): KnownBlock[] {
  const out: KnownBlock[] = [];
  let used = 0;
  let cut = entries.length;
  for (const [i, entry] of entries.entries()) {
    // Keep one block free for the "not shown" line, unless this is the last entry.
    const free = i === entries.length - 1 ? room : room - 1;
    if (used + entry.blocks.length > free) {
      cut = i;
      break;
    }
    out.push(...entry.blocks);
    used += entry.blocks.length;
  }
  const rest = entries.slice(cut).filter((e) => e.cause);
  if (rest.length > 0) {
    const tasks = rest.reduce((n, e) => n + e.tasks, 0);
    out.push({
      type: 'context',
      elements: [
        ourMrkdwn(
          `…and ${rest.length} more cause${rest.length > 1 ? 's' : ''} (${tasks} more task${tasks > 1 ? 's' : ''}) not shown here: see the console`,
        ),
      ],
    });
  }
  return out;
}

/** The families that only succeeded, in one line: `✅ Also succeeded: nightly-report:42 (20), …`. */
function alsoSucceeded(families: Item[][]): ContextBlock {
  const named = families.map((f) => `${(f[0] as Item).view.name} (${f.length})`);
  return {
    type: 'context',
    elements: [ourMrkdwn(':white_check_mark:'), plainText(`Also succeeded: ${named.join(', ')}`, 1000)],
  };
}

/**
 * Each list page (a cluster's tasks in the ECS console), labelled by its name where mrkdwn cannot
 * misread it (letters, digits, `-`), else by its place in the list; led by what they list.
 */
function listLinks(items: readonly Item[], short = false): MrkdwnElement[] {
  const pages = [
    ...new Map(items.flatMap((i) => (i.view.list ? [[i.view.list.key, i.view.list] as const] : []))).values(),
  ];
  const links = pages
    .slice(0, CLUSTER_LINKS)
    .map((page, i) => slackLink(page.url, linkable(page.name) ? page.name : `cluster ${i + 1}`))
    .filter((link) => link.length <= 400);
  if (links.length === 0) return [];
  const more = pages.length - CLUSTER_LINKS;
  const leads = unique(pages.map((p) => (short ? `${p.what}:` : `${p.what} in the ${p.console} console:`)));
  const lead = leads.length === 1 ? (leads[0] as string) : 'In the console:';
  return [ourMrkdwn(`${lead} ${links.join('  ·  ')}${more > 0 ? `  and ${more} more` : ''}`)];
}

/** A cluster name mrkdwn cannot misread as formatting, fit to label its link. */
function linkable(name: string): boolean {
  return /^[A-Za-z0-9-]{1,60}$/.test(name);
}

function countOutcomes(items: readonly Item[]): Map<Outcome, number> {
  return countBy(items, (i) => i.outcome);
}

/** `25 failed, 810 succeeded`: worst first. */
function describeCounts(counts: Map<Outcome, number>): string {
  return WORST_FIRST.filter((o) => counts.has(o))
    .map((o) => `${counts.get(o)} ${OUTCOME_STYLE[o].word}`)
    .join(', ');
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
