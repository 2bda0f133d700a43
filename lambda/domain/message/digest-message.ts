import type { ContextBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import { countBy, groupBy } from '../collections.js';
import { formatTaskDefinition } from '../task/arn.js';
import type { Outcome, Task, TaskReport } from '../task/task.js';
import { clusterTasksConsoleUrl, taskConsoleUrl } from './console-links.js';
import { type CauseGroup, groupByCause } from './failure-causes.js';
import { OUTCOME_STYLE, type SlackMessage, summaryLine } from './slack-message.js';
import { fieldTable, ourMrkdwn, plainText, SLACK_LIMITS, slackLink } from './slack-text.js';

/** Tasks linked by ID under each cause; the rest of the cause is counted. */
export const LINKS_PER_CAUSE = 3;
/** Blocks kept for the header, the fields, the console links and the "not shown" line. */
const RESERVED_BLOCKS = 6;
/** A cause line is cut here: it is a line, not a log. */
const CAUSE_LINE = 300;
/** Room for one task link in a cause's links field, beside the others and the count. */
const LINK_ROOM = Math.floor((SLACK_LIMITS.field - 40) / LINKS_PER_CAUSE);
/** Outcomes worst first: the digest takes the colour of the first present, and counts in this order. */
const WORST_FIRST = ['failed', 'stopped', 'in-progress', 'succeeded'] as const;

/**
 * One message for many task stops (a deployment, an array job, a storm): counts by outcome, the
 * time span, and, per source and family, the tasks that failed or were stopped grouped by cause,
 * largest first, each cause with a few tasks linked and the rest counted. Succeeded tasks are
 * counted, never listed; a digest of successes only is one line. Every limit of Slack is kept,
 * however many reports: what does not fit is counted in a last line.
 */
export function buildDigestMessage(reports: readonly TaskReport[]): SlackMessage {
  const first = reports[0];
  if (!first) throw new Error('a digest needs at least one task');
  const counts = countOutcomes(reports);
  const worst = WORST_FIRST.find((o) => counts.has(o));
  const style = OUTCOME_STYLE[worst ?? first.outcome];
  const sources = unique(reports.map((r) => r.source.label));
  const definitions = countBy(reports, (r) => formatTaskDefinition(r.task.family, r.task.revision));
  const span = timeSpan(reports);
  const tally = `${reports.length} tasks: ${describeCounts(counts)}`;
  const line = `[${sources.join(', ')}] ${[...definitions.keys()].join(', ')}: ${tally}${span ? `, ${span}` : ''}`;
  if (worst === 'succeeded') return summaryLine(line, style);

  // Sections by source, then family, so a reader finds a job where the list says it is.
  const groups = groupBy(reports, familyKey).sort((a, b) =>
    familyKey(a[0] as TaskReport).localeCompare(familyKey(b[0] as TaskReport)),
  );
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(tally, SLACK_LIMITS.header) },
    ...fieldTable([
      ['Source', sources.join(', ')],
      ['Task definitions', [...definitions].map(([d, n]) => `${d} (${n})`).join(', ')],
      ['Clusters', unique(reports.map((r) => r.task.clusterName)).join(', ')],
      ['Time span', span],
    ]),
  ];
  const causeBlocks = groups.flatMap((group) => groupBlocks(group, groups.length > 1));
  const room = SLACK_LIMITS.blocks - blocks.length - RESERVED_BLOCKS;
  blocks.push(...fitCauses(causeBlocks, room));
  blocks.push(...clusterLinks(reports));
  return { ...summaryLine(line, style), attachments: [{ color: style.color, blocks }] };
}

/** A group's blocks: its title (when there are several groups), then each cause and its tasks. */
interface CauseBlocks {
  blocks: KnownBlock[];
  /** Tasks this entry names or counts, so a cut entry can still be counted. */
  tasks: number;
  /** Whether it is a cause (counted in "not shown") or a group title. */
  cause: boolean;
}

function groupBlocks(reports: TaskReport[], titled: boolean): CauseBlocks[] {
  const first = reports[0] as TaskReport;
  const entries: CauseBlocks[] = [];
  if (titled) {
    const definitions = unique(reports.map((r) => formatTaskDefinition(r.task.family, r.task.revision)));
    const title = `${first.source.label} · ${definitions.join(', ')}: ${reports.length} tasks: ${describeCounts(countOutcomes(reports))}`;
    entries.push({
      blocks: [{ type: 'section', text: plainText(title, CAUSE_LINE) }],
      tasks: 0,
      cause: false,
    });
  }
  for (const group of groupByCause(reports)) {
    entries.push({ blocks: causeBlocks(group), tasks: group.reports.length, cause: true });
  }
  return entries;
}

/** A cause in one section: what happened, as plain text, beside a few of its tasks linked. */
function causeBlocks(group: CauseGroup): KnownBlock[] {
  const style = OUTCOME_STYLE[group.outcome];
  // A link that would not fit the field (an absurd cluster name) is counted with the rest instead.
  const shown = group.reports
    .slice(0, LINKS_PER_CAUSE)
    .map((r) => taskLink(r.task))
    .filter((link) => link.length <= LINK_ROOM);
  const more = group.reports.length - shown.length;
  const links = [shown.join('  ·  '), more > 0 ? `and ${more} more` : ''].filter(Boolean).join('  ');
  const cause: SectionBlock = {
    type: 'section',
    fields: [
      plainText(`${style.glyph} ${group.reports.length} × ${group.cause}`, CAUSE_LINE),
      ourMrkdwn(links),
    ],
  };
  return [cause];
}

/** The entries that fit in `room` blocks; the rest are counted in one last line. */
function fitCauses(entries: CauseBlocks[], room: number): KnownBlock[] {
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

/** A link to the task in the console, labelled with the start of its ID (letters, digits, `-` only). */
function taskLink(task: Task): string {
  const label = task.taskId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 8) || 'task';
  return slackLink(taskConsoleUrl(task), label);
}

/** Each cluster's tasks in the console, labelled by number (the names are in the fields). */
function clusterLinks(reports: readonly TaskReport[]): ContextBlock[] {
  const clusters = [...new Map(reports.map((r) => [r.task.clusterArn, r.task])).values()].slice(0, 8);
  const links = clusters
    .map((task, i) =>
      slackLink(clusterTasksConsoleUrl(task), clusters.length > 1 ? `cluster ${i + 1}` : 'the cluster'),
    )
    .filter((link) => link.length <= SLACK_LIMITS.context);
  const elements = inlineElements(links);
  return elements.length === 0
    ? []
    : [{ type: 'context', elements: [ourMrkdwn('Tasks in the ECS console:'), ...elements] }];
}

/** Links in one context element when they fit, else one element each. */
function inlineElements(links: string[]): MrkdwnElement[] {
  const line = links.join('  ·  ');
  if (line.length <= SLACK_LIMITS.context) return line ? [ourMrkdwn(line)] : [];
  return links.map((text) => ourMrkdwn(text));
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

/** `07:00:04Z–07:00:58Z (54s)` from the first stop to the last, when the events say. */
function timeSpan(reports: readonly TaskReport[]): string | undefined {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const r of reports) {
    const at = r.task.stoppedAt?.getTime();
    if (at === undefined) continue;
    from = Math.min(from, at);
    to = Math.max(to, at);
  }
  if (!Number.isFinite(from)) return undefined;
  const time = (ms: number) => `${new Date(ms).toISOString().slice(11, 19)}Z`;
  const day = new Date(from).toISOString().slice(0, 10);
  return `${day} ${time(from)}–${time(to)} (${Math.round((to - from) / 1000)}s)`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
