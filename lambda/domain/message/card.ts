import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { CrossCheck, Outcome, Source } from '../task/task.js';
import type { FirstLine } from './first-line.js';
import { OUTCOME_STYLE } from './first-line.js';
import { headerBlock, notificationLine, type SlackMessage } from './slack-message.js';
import {
  type FieldRow,
  fieldTable,
  notificationText,
  ourMrkdwn,
  plainText,
  SLACK_LIMITS,
  slackLink,
  tableFields,
  truncate,
} from './slack-text.js';

/** What a card of any kind but a task's holds, top to bottom. */
export interface CardSpec {
  outcome: Outcome;
  first: FirstLine;
  source: Source;
  crossCheck: CrossCheck;
  /**
   * The API that cross-checks this kind (`DescribeServices`) and what it names (`job definition`);
   * absent where nothing can be checked (no task was created).
   */
  checkedBy?: { api: string; what: string; eventSays?: string };
  /** At most eight; blank ones are left out. */
  rows: FieldRow[];
  /** Console links: the label's page, as `[url, label]` (our own labels only). */
  links: (readonly [url: string, label: string])[];
  /** Blocks after the links (a log stream's link). */
  extra?: KnownBlock[];
  /** Grey words for the last line, beside the cross-check. */
  notes?: string[];
}

/**
 * The house style for a card: the first line as the header (and the notification), then, in the
 * outcome's colour, what needs a reader's eye (a mismatch, an uncertain source), the details
 * table, the console links, and a grey line with the cross-check.
 */
export function buildCard(spec: CardSpec): SlackMessage {
  const style = OUTCOME_STYLE[spec.outcome];
  const blocks: KnownBlock[] = [];
  if (spec.crossCheck.status === 'mismatch') blocks.push(mismatchBlock(spec));
  if (spec.source.note) blocks.push(warningBlock('Source uncertain', spec.source.note));
  blocks.push(...fieldTable(spec.rows.slice(0, 8)));
  const links = spec.links
    .map(([url, label]) => slackLink(url, label))
    .filter((link) => link.length <= (SLACK_LIMITS.section - 20) / 3);
  if (links.length > 0) blocks.push({ type: 'section', text: ourMrkdwn(`Console: ${links.join('  ·  ')}`) });
  blocks.push(...(spec.extra ?? []));
  const last = footer(spec);
  if (last.elements.length > 0) blocks.push(last);
  return {
    text: notificationLine(spec.first.line, style),
    blocks: [headerBlock(spec.first.line, style)],
    attachments: [{ color: style.color, blocks: blocks.slice(0, SLACK_LIMITS.blocks) }],
  };
}

/** The card's facts as text only (Slack refused the blocks): outside words inert. */
export function buildPlainCard(
  spec: Pick<CardSpec, 'outcome' | 'first' | 'source' | 'crossCheck' | 'checkedBy'>,
  about: string,
): SlackMessage {
  const { first, source, crossCheck } = spec;
  const lines = [
    notificationLine(first.line, OUTCOME_STYLE[spec.outcome]),
    source.note ? `:warning: Source uncertain: ${notificationText(truncate(source.note, 300))}` : '',
    crossCheck.status === 'confirmed' || !spec.checkedBy
      ? ''
      : `:grey_question: ${notificationText(checkWords(spec))}`,
    first.detailCut && first.cause?.detail
      ? `Reason: ${notificationText(truncate(first.cause.detail, 1000))}`
      : '',
    notificationText(truncate(about, 400)),
  ];
  return { text: truncate(lines.filter(Boolean).join('\n'), SLACK_LIMITS.text) };
}

/** The cross-check in a few words: `confirmed by DescribeServices`, `unverified: …`. */
export function checkWords(spec: Pick<CardSpec, 'crossCheck' | 'checkedBy'>): string {
  const { crossCheck } = spec;
  const checkedBy = spec.checkedBy ?? { api: 'the API' };
  const detail = crossCheck.detail ? ` (${truncate(crossCheck.detail, 300)})` : '';
  switch (crossCheck.status) {
    case 'confirmed':
      return `confirmed by ${checkedBy.api}`;
    case 'mismatch':
      return `${checkedBy.api} disagrees${detail}`;
    case 'missing':
      return `unverified: ${checkedBy.api} no longer knows it${detail}`;
    case 'unavailable':
      return `unverified: ${checkedBy.api} unavailable${detail}`;
    case 'not-run':
      return `not cross-checked with ${checkedBy.api}`;
  }
}

function footer(spec: CardSpec): ContextBlock {
  const elements: ContextBlock['elements'] = [];
  const { status } = spec.crossCheck;
  if (spec.checkedBy && status !== 'mismatch') {
    // Not checked at all (a dry run) is nothing to be alarmed by: no emoji.
    if (status === 'confirmed') elements.push(ourMrkdwn(':white_check_mark:'));
    else if (status !== 'not-run') elements.push(ourMrkdwn(':grey_question:'));
    elements.push(plainText(checkWords(spec), SLACK_LIMITS.context));
  }
  for (const note of (spec.notes ?? []).slice(0, 5)) elements.push(plainText(note, SLACK_LIMITS.context));
  return { type: 'context', elements };
}

function mismatchBlock(spec: CardSpec): SectionBlock {
  const { api, what, eventSays } = spec.checkedBy ?? { api: 'the API', what: 'definition' };
  const described = spec.crossCheck.described;
  return {
    type: 'section',
    text: ourMrkdwn(`:warning: *${capitalized(what)} mismatch*: the event and ${api} disagree`),
    fields: tableFields([
      ['The event says', eventSays ?? '?'],
      [
        `${api} says`,
        described ? `${described.family}:${described.revision ?? '?'}` : spec.crossCheck.detail,
      ],
    ]),
  };
}

/** A warning in a section of its own: our bold title, then what it is about as plain text. */
export function warningBlock(title: string, text: string): SectionBlock {
  return {
    type: 'section',
    text: ourMrkdwn(`:warning: *${title}*`),
    fields: [plainText(text, SLACK_LIMITS.field)],
  };
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
