import { describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../../../lambda/domain/config/config.js';
import {
  addMention,
  DEFAULT_ROUTE,
  mentionText,
  routeSettings,
  routesFor,
  unreachableReason,
} from '../../../../lambda/domain/delivery/routes.js';
import { buildSlackMessage } from '../../../../lambda/domain/message/slack-message.js';
import type { Outcome } from '../../../../lambda/domain/task/task.js';
import { reportFrom } from '../../../support/reports.js';
import { formingProblems, HOSTILE_TEXT } from '../../../support/slack-payload.js';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack/route-AbCdEf';
const SOURCES = [
  { label: 'batch (vpc-a)', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-a' },
  { label: 'batch (vpc-b)', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-b' },
];

function config(routes: object[], routeMode: 'all' | 'first' = 'all') {
  return parseNotifierConfig({
    sources: SOURCES,
    routes: routes.map((r) => ({ webhookSecretArn: SECRET, ...r })),
    routeMode,
  });
}

/** The report of a stop of `family` from source `label`, with `outcome` and `lastStatus`. */
function report(label: string, family: string, outcome: Outcome, lastStatus = 'STOPPED') {
  const base = reportFrom(
    'ec2-stopped-failed',
    { family, lastStatus },
    { source: { label, configured: true } },
  );
  return { ...base, outcome };
}

const ROUTES = [
  { name: 'alerts', match: { outcomes: ['failed'] } },
  { name: 'nightly', match: { families: ['nightly-*'] } },
  { name: 'vpc-b', match: { sources: ['batch (vpc-b)'] } },
  { name: 'running', match: { statuses: ['RUNNING'] } },
];

describe('routeSettings', () => {
  it("gives a route its own way of showing successes, else the top level's, the default route the top level's", () => {
    const settings = parseNotifierConfig({
      successes: 'card',
      digestThreshold: 9,
      routes: [
        { name: 'quiet', webhookSecretArn: SECRET, successes: 'none', digestThreshold: 3 },
        { name: 'plain', webhookSecretArn: SECRET },
      ],
    });
    expect(routeSettings('quiet', settings)).toEqual({ digestThreshold: 3, successes: 'none' });
    expect(routeSettings('plain', settings)).toEqual({ digestThreshold: 9, successes: 'card' });
    expect(routeSettings(DEFAULT_ROUTE, settings)).toEqual({ digestThreshold: 9, successes: 'card' });
  });
});

describe('routesFor', () => {
  it.each([
    ['a failure of another family in vpc-a', ['batch (vpc-a)', 'import', 'failed'], ['alerts']],
    ['a success of a nightly family', ['batch (vpc-a)', 'nightly-report', 'succeeded'], ['nightly']],
    [
      'a failed nightly job in vpc-b',
      ['batch (vpc-b)', 'nightly-import', 'failed'],
      ['alerts', 'nightly', 'vpc-b'],
    ],
    ['a success that no route takes', ['batch (vpc-a)', 'import', 'succeeded'], [DEFAULT_ROUTE]],
    [
      'a family that only contains the prefix',
      ['batch (vpc-a)', 'pre-nightly-x', 'stopped'],
      [DEFAULT_ROUTE],
    ],
  ])('sends %s to every route that takes it', (_, [label, family, outcome], expected) => {
    expect(routesFor(report(label as string, family as string, outcome as Outcome), config(ROUTES))).toEqual(
      expected,
    );
  });

  it('sends a task stop to the first route that takes it only, with routeMode first', () => {
    const failedNightly = report('batch (vpc-b)', 'nightly-import', 'failed');
    expect(routesFor(failedNightly, config(ROUTES, 'first'))).toEqual(['alerts']);
  });

  it('matches on the status too', () => {
    expect(routesFor(report('batch (vpc-a)', 'web', 'in-progress', 'RUNNING'), config(ROUTES))).toEqual([
      'running',
    ]);
  });

  it('needs every condition of a match to hold', () => {
    const both = config([
      { name: 'b-failures', match: { sources: ['batch (vpc-b)'], outcomes: ['failed'] } },
    ]);
    expect(routesFor(report('batch (vpc-b)', 'x', 'failed'), both)).toEqual(['b-failures']);
    expect(routesFor(report('batch (vpc-b)', 'x', 'succeeded'), both)).toEqual([DEFAULT_ROUTE]);
    expect(routesFor(report('batch (vpc-a)', 'x', 'failed'), both)).toEqual([DEFAULT_ROUTE]);
  });

  it('takes every task stop on a route with an empty match', () => {
    expect(routesFor(report('batch (vpc-a)', 'x', 'succeeded'), config([{ name: 'everything' }]))).toEqual([
      'everything',
    ]);
  });
});

describe('mentions', () => {
  const mention = {
    onOutcomes: ['failed' as const],
    users: ['U024BE7LH', 'W012A3CDE'],
    groups: ['S0614TZR7'],
    here: true,
  };

  it('renders users, groups and @here from configuration for the outcomes it names', () => {
    expect(mentionText(mention, ['succeeded', 'failed'])).toBe(
      '<@U024BE7LH> <@W012A3CDE> <!subteam^S0614TZR7> <!here>',
    );
  });

  it('pings no one for other outcomes, or when the route names no one', () => {
    expect(mentionText(mention, ['succeeded'])).toBeUndefined();
    expect(mentionText({ ...mention, users: [], groups: [], here: false }, ['failed'])).toBeUndefined();
    expect(mentionText(undefined, ['failed'])).toBeUndefined();
  });

  it('leads the notification and the shown text with the mention', () => {
    const message = addMention(buildSlackMessage(report('batch (vpc-a)', 'x', 'failed')), '<@U024BE7LH>');
    expect(message.text).toMatch(/^<@U024BE7LH> :x: /);
    expect(message.blocks?.[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '<@U024BE7LH>', verbatim: true },
    });
  });

  it('lets nothing from an event become a mention: event text stays escaped beside a real one', () => {
    const hostile = reportFrom('ec2-stopped-failed', { ...HOSTILE_TEXT, family: 'x' });
    const message = addMention(buildSlackMessage(hostile), '<@U024BE7LH>');
    const pings = JSON.stringify(message).match(/<[@!][^>]*>/g) ?? [];
    expect(new Set(pings)).toEqual(new Set(['<@U024BE7LH>']));
    // Apart from the mention we added, the message is exactly as safe as without it.
    const [, ...rest] = message.blocks ?? [];
    const unmentioned = { ...message, text: message.text.slice('<@U024BE7LH> '.length), blocks: rest };
    expect(formingProblems(unmentioned, '\u0000')).toEqual([]);
  });

  it.each([
    [
      { users: ['u024be7lh'] },
      'routes[0].mention.users[0] expected a Slack user ID like "U024BE7LH", got "u024be7lh"',
    ],
    [
      { users: ['<!channel>'] },
      'routes[0].mention.users[0] expected a Slack user ID like "U024BE7LH", got "<!channel>"',
    ],
    [
      { groups: ['U024BE7LH'] },
      'routes[0].mention.groups[0] expected a Slack user group ID like "S0614TZR7", got "U024BE7LH"',
    ],
  ])('refuses a bad ID: %o', (bad, message) => {
    expect(() => config([{ name: 'x', mention: bad }])).toThrow(message);
  });
});

describe('configuration checks', () => {
  it.each([
    [
      [{ name: 'x', match: { sources: ['batch (vpc-c)'] } }],
      'routes[0].match.sources[0] names no configured source (the sources are "batch (vpc-a)", "batch (vpc-b)"), got "batch (vpc-c)"',
    ],
    [
      [{ name: 'x' }, { name: 'x' }],
      'routes[1].name is the name of an earlier route: route names must be unique, got "x"',
    ],
    [
      [{ name: 'x y' }],
      'routes[0].name expected a name of letters, digits, - and _ (at most 64 characters), got "x y"',
    ],
  ])('refuses %j, naming the key', (routes, message) => {
    expect(() => config(routes)).toThrow(message);
  });

  it('says why a route can never match', () => {
    const [failuresOnly] = config([{ name: 'f', match: { outcomes: ['failed'] } }]).routes;
    expect(unreachableReason(failuresOnly as never, { outcomes: ['succeeded'], notifyOn: ['STOPPED'] })).toBe(
      'its outcomes (failed) are not in outcomes (succeeded)',
    );
    expect(unreachableReason(failuresOnly as never, { outcomes: ['failed'], notifyOn: ['RUNNING'] })).toBe(
      'its outcomes (failed) need STOPPED tasks, which are not notified',
    );
    expect(
      unreachableReason(failuresOnly as never, { outcomes: ['failed'], notifyOn: ['STOPPED'] }),
    ).toBeUndefined();
  });
});
