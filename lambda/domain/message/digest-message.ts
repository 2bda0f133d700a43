import type { ContextBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import { countBy, groupBy } from '../collections.js';
import { formatTaskDefinition } from '../task/arn.js';
import type { Outcome, Task, TaskReport } from '../task/task.js';
import { clusterTasksConsoleUrl } from './console-links.js';
import { type CauseGroup, groupByCause } from './failure-causes.js';
import { OUTCOME_STYLE } from './first-line.js';
import { headerBlock, notificationLine, type SlackMessage, taskLink } from './slack-message.js';
import { fieldTable, ourMrkdwn, plainText, SLACK_LIMITS, slackLink, truncate } from './slack-text.js';
import { timeSpan } from './time-span.js';

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
 * One message for many task stops (a deployment, an array job, a storm), leading with what
 * failed: counts worst first, the sources and the span in its first line; then, failing families
 * first, the tasks that failed or were stopped grouped by cause, largest first, a few linked by
 * ID and the rest counted with a link to their cluster. Families that only succeeded share one
 * line; a digest of successes only is one line. Every limit of Slack is kept, however many
 * reports: what does not fit is counted in a last line.
 */
export function buildDigestMessage(reports: readonly TaskReport[]): SlackMessage {
  const first = reports[0];
  if (!first) throw new Error('a digest needs at least one task');
  const counts = countOutcomes(reports);
  const worst = WORST_FIRST.find((o) => counts.has(o)) ?? first.outcome;
  const style = OUTCOME_STYLE[worst];
  const sources = unique(reports.map((r) => r.source.label));
  const span = timeSpan(reports);
  // What did not succeed, most first, as the sections list it.
  const failing = new Map(
    [
      ...countBy(
        reports.filter((r) => r.outcome !== 'succeeded'),
        (r) => formatTaskDefinition(r.task.family, r.task.revision),
      ),
    ].sort((a, b) => b[1] - a[1]),
  );
  const line = `${namesFirst([...failing.keys()])}${describeCounts(counts)} of ${reports.length} tasks in ${truncate(sources.join(', '), 80)}${span ? ` · ${span.took}` : ''}`;
  if (worst === 'succeeded') {
    const links = clusterLinks(reports, 'Tasks:');
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

  const families = orderFamilies(groupBy(reports, familyKey));
  const succeeded = families.filter((f) => f.every((r) => r.outcome === 'succeeded'));
  const clusterNames = unique(reports.map((r) => r.task.clusterName));
  const blocks: KnownBlock[] = [
    ...fieldTable([
      // The first line names up to three; the counts per name are news only when there are several.
      [
        'Not succeeded',
        failing.size > 1 ? [...failing].map(([d, n]) => `${d} (${n})`).join(', ') : undefined,
      ],
      [
        'Clusters',
        clusterNames.some((name) => !linkable(name)) || clusterNames.length > CLUSTER_LINKS
          ? clusterNames.join(', ')
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
  const links = clusterLinks(reports, 'Tasks in the ECS console:');
  if (links.length > 0) blocks.push({ type: 'context', elements: links });
  return {
    text: notificationLine(line, style),
    blocks: [headerBlock(line, style)],
    attachments: [{ color: style.color, blocks }],
  };
}

/** The first three names and how many more, then a colon: `a:1, b:2, c:3 +2: `; none, nothing. */
function namesFirst(names: string[]): string {
  if (names.length === 0) return '';
  const more = names.length > 3 ? ` +${names.length - 3}` : '';
  return `${truncate(names.slice(0, 3).join(', '), 90)}${more}: `;
}

/** Families with failures first, then stops, each by how many did not succeed; then by name. */
function orderFamilies(families: TaskReport[][]): TaskReport[][] {
  const bad = (f: TaskReport[], o: Outcome) => f.filter((r) => r.outcome === o).length;
  return families.sort(
    (a, b) =>
      bad(b, 'failed') - bad(a, 'failed') ||
      bad(b, 'stopped') - bad(a, 'stopped') ||
      familyKey(a[0] as TaskReport).localeCompare(familyKey(b[0] as TaskReport)),
  );
}

/** A family's blocks: its title (when there are several), then each cause and its tasks. */
interface Entry {
  blocks: KnownBlock[];
  /** Tasks this entry names or counts, so a cut entry can still be counted. */
  tasks: number;
  /** Whether it is a cause (counted in "not shown") or a family's title. */
  cause: boolean;
}

function familyEntries(reports: TaskReport[], titled: boolean): Entry[] {
  const first = reports[0] as TaskReport;
  const entries: Entry[] = [];
  if (titled) {
    const definitions = unique(reports.map((r) => formatTaskDefinition(r.task.family, r.task.revision)));
    const title = `${definitions.join(', ')} in ${first.source.label}: ${describeCounts(countOutcomes(reports))}`;
    entries.push({ blocks: [{ type: 'section', text: plainText(title, 300) }], tasks: 0, cause: false });
  }
  for (const group of groupByCause(reports))
    entries.push({ blocks: [causeSection(group)], tasks: group.reports.length, cause: true });
  return entries;
}

/** A cause in one section: what happened, as plain text, beside a few of its tasks linked. */
function causeSection(group: CauseGroup): SectionBlock {
  const style = OUTCOME_STYLE[group.outcome];
  // A link that would not fit the field (an absurd cluster name) is counted with the rest instead.
  const shown = group.reports
    .slice(0, LINKS_PER_CAUSE)
    .map((r) => taskLink(r.task, shortId(r.task)))
    .filter((link): link is string => link !== undefined && link.length <= LINK_ROOM);
  const more = group.reports.length - shown.length;
  const rest = group.reports[shown.length]?.task;
  const moreLink = rest ? slackLink(clusterTasksConsoleUrl(rest), `and ${more} more`) : '';
  const counted = more > 0 ? (moreLink.length <= 350 ? moreLink : `and ${more} more`) : '';
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
function alsoSucceeded(families: TaskReport[][]): ContextBlock {
  const named = families.map((f) => {
    const r = f[0] as TaskReport;
    return `${formatTaskDefinition(r.task.family, r.task.revision)} (${f.length})`;
  });
  return {
    type: 'context',
    elements: [ourMrkdwn(':white_check_mark:'), plainText(`Also succeeded: ${named.join(', ')}`, 1000)],
  };
}

/** `9a8b7c6d`: a task's short ID, letters, digits and `-` only. */
function shortId(task: Task): string {
  return task.taskId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 8) || 'task';
}

/**
 * Each cluster's tasks in the ECS console, labelled by the cluster's name where mrkdwn cannot
 * misread it (letters, digits, `-`), else by its place in the list.
 */
function clusterLinks(reports: readonly TaskReport[], lead: string): MrkdwnElement[] {
  const clusters = [...new Map(reports.map((r) => [r.task.clusterArn, r.task])).values()];
  const links = clusters
    .slice(0, CLUSTER_LINKS)
    .map((task, i) => {
      const label = linkable(task.clusterName) ? task.clusterName : `cluster ${i + 1}`;
      return slackLink(clusterTasksConsoleUrl(task), label);
    })
    .filter((link) => link.length <= 400);
  if (links.length === 0) return [];
  const more = clusters.length - CLUSTER_LINKS;
  return [ourMrkdwn(`${lead} ${links.join('  ·  ')}${more > 0 ? `  and ${more} more` : ''}`)];
}

/** A cluster name mrkdwn cannot misread as formatting, fit to label its link. */
function linkable(name: string): boolean {
  return /^[A-Za-z0-9-]{1,60}$/.test(name);
}

/** A source and family: a digest's section, and what the digest threshold counts stops of. */
export function familyKey(report: TaskReport): string {
  return `${report.source.label}\u0000${report.task.family}`;
}

function countOutcomes(reports: readonly TaskReport[]): Map<Outcome, number> {
  return countBy(reports, (r) => r.outcome);
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
