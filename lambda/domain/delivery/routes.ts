import type { MentionConfig, NotifierConfig, RouteConfig } from '../config/config.js';
import { nameMatches } from '../config/name-pattern.js';
import type { SlackMessage, SuccessStyle } from '../message/slack-message.js';
import { ourMrkdwn, SLACK_LIMITS, truncate } from '../message/slack-text.js';
import { subjectOf } from '../report/keys.js';
import type { Report, ReportKind } from '../report/report.js';
import { SERVICE_FAILURES } from '../service/service-event.js';
import type { Outcome } from '../task/task.js';

/** The route of the top-level webhook (`slackWebhookSecretArn`): it takes what no route takes. */
export const DEFAULT_ROUTE = 'default';

type Routing = Pick<NotifierConfig, 'routes' | 'routeMode'>;

/**
 * A route's own digest threshold and way of showing successes (else the top-level ones) and its
 * mentions; the default route has none of its own.
 */
export function routeSettings(
  name: string,
  config: Pick<NotifierConfig, 'routes' | 'digestThreshold'> & Partial<Pick<NotifierConfig, 'successes'>>,
): { digestThreshold: number; successes: SuccessStyle; mention?: MentionConfig } {
  const route = config.routes.find((r) => r.name === name);
  return {
    digestThreshold: route?.digestThreshold ?? config.digestThreshold,
    successes: route?.successes ?? config.successes ?? 'line',
    ...(route?.mention ? { mention: route.mention } : {}),
  };
}

/**
 * The routes a task stop goes to, by name: every route whose `match` takes it (`routeMode: all`),
 * or the first one (`first`); the default route when none does.
 */
export function routesFor(report: Report, config: Routing): string[] {
  const taken = config.routes.filter((route) => matches(route, report));
  if (taken.length === 0) return [DEFAULT_ROUTE];
  return (config.routeMode === 'first' ? taken.slice(0, 1) : taken).map((route) => route.name);
}

/**
 * True when every condition of the route's `match` holds for the report (an absent one always
 * does); `families` and `statuses` read its subject, whatever its kind.
 */
export function matches(route: Pick<RouteConfig, 'match'>, report: Report): boolean {
  const { sources, families, outcomes, statuses, kinds } = route.match;
  const subject = subjectOf(report);
  if (kinds && !kinds.includes(report.kind)) return false;
  if (sources && !sources.includes(report.source.label)) return false;
  const family = subject.family;
  if (families && (family === undefined || !families.some((pattern) => nameMatches(pattern, family))))
    return false;
  if (outcomes && !outcomes.includes(report.outcome)) return false;
  if (statuses && !(statuses as readonly string[]).includes(subject.status)) return false;
  return true;
}

/**
 * The mentions a message of these outcomes carries: `<@U…>`, `<!subteam^S…>`, `<!here>`, built only
 * from validated configuration IDs; `undefined` when the route pings no one for them.
 */
export function mentionText(
  mention: MentionConfig | undefined,
  outcomes: readonly Outcome[],
): string | undefined {
  if (!mention || !outcomes.some((o) => mention.onOutcomes.includes(o))) return undefined;
  const parts = [
    ...mention.users.map((id) => `<@${id}>`),
    ...mention.groups.map((id) => `<!subteam^${id}>`),
    ...(mention.here ? ['<!here>'] : []),
  ];
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** What each kind other than a task notifies: its statuses (event names), always as failures. */
const NOTIFIED_STATUSES: Record<Exclude<ReportKind, 'task'>, readonly string[]> = {
  service: SERVICE_FAILURES,
  deployment: ['SERVICE_DEPLOYMENT_FAILED', 'SERVICE_DEPLOYMENT_IN_PROGRESS'],
  launch: ['FAILED'],
  batch: ['FAILED'],
};

/**
 * Why a route can never take anything, given what the configuration notifies at all (its
 * `events`, `outcomes` and `notifyOn`); `undefined` when it can.
 */
export function unreachableReason(
  route: RouteConfig,
  config: Pick<NotifierConfig, 'outcomes' | 'notifyOn'> & Partial<Pick<NotifierConfig, 'events'>>,
): string | undefined {
  const { outcomes, statuses, kinds } = route.match;
  const events = config.events ?? ['task'];
  if (kinds && !kinds.some((k) => events.includes(k)))
    return `its kinds (${kinds.join(', ')}) are not in events (${events.join(', ')})`;
  const reachable = (kinds ?? events).filter((k) => events.includes(k));
  if (outcomes && !outcomes.some((o) => config.outcomes.includes(o)))
    return `its outcomes (${outcomes.join(', ')}) are not in outcomes (${config.outcomes.join(', ')})`;
  const statusesOf = (kind: ReportKind): readonly string[] =>
    kind === 'task' ? config.notifyOn : NOTIFIED_STATUSES[kind];
  if (statuses && !reachable.some((kind) => statuses.some((s) => statusesOf(kind).includes(s))))
    return reachable.length === 1 && reachable[0] === 'task'
      ? `its statuses (${statuses.join(', ')}) are not in notifyOn (${config.notifyOn.join(', ')})`
      : `its statuses (${statuses.join(', ')}) are none that ${reachable.join(', ')} events notify`;
  // Only a STOPPED task has an outcome other than in-progress; the other kinds notify failures.
  const stopped = (statuses ?? config.notifyOn).includes('STOPPED') && config.notifyOn.includes('STOPPED');
  const outcomeReachable = (kind: ReportKind) =>
    kind === 'task' ? stopped || outcomes?.includes('in-progress') : outcomes?.includes('failed');
  if (outcomes && !reachable.some(outcomeReachable))
    return reachable.length === 1 && reachable[0] === 'task'
      ? `its outcomes (${outcomes.join(', ')}) need STOPPED tasks, which are not notified`
      : `its outcomes (${outcomes.join(', ')}) are none that ${reachable.join(', ')} events have`;
  return undefined;
}

/**
 * The message with the route's mentions first, in the notification `text` and in a line of our
 * own mrkdwn above the rest (mentions in blocks ping as well, and show where Slack shows blocks).
 */
export function addMention(message: SlackMessage, mention: string | undefined): SlackMessage {
  if (!mention) return message;
  return {
    ...message,
    text: truncate(`${mention} ${message.text}`, SLACK_LIMITS.text),
    ...(message.blocks
      ? {
          blocks: [{ type: 'section', text: ourMrkdwn(mention) }, ...message.blocks].slice(
            0,
            SLACK_LIMITS.blocks,
          ),
        }
      : {}),
  };
}
