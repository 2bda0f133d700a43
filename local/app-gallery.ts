import type { SlackApiClient } from '../lambda/adapters/slack-api.js';
import {
  aggregateOf,
  buildLiveDigestMessage,
  mergeAggregates,
} from '../lambda/domain/message/live-digest.js';
import { logTailBlocks } from '../lambda/domain/message/log-message.js';
import { buildSlackMessage } from '../lambda/domain/message/slack-message.js';
import { splitForThread, withRepeatCount } from '../lambda/domain/message/thread-message.js';
import { importFailed, logs, report, storm } from './message-gallery.js';

/** The channel the app-mode pictures are posted to. */
export const GALLERY_CHANNEL = 'C0GALLERY1';

/** A picture of app mode: the top-level message it is, after its updates and replies. */
export interface AppGalleryShot {
  name: string;
  title: string;
}

/**
 * Posts app mode's messages through the Web API as the notifier sends them: a storm's live digest
 * after two updates, a failure thread (the card in the channel, its log tail and two more failures
 * of the job in the thread, the count on the card), and the reverse for comparison (the log tail
 * in the channel, the card in the thread). Returns the pictures, one per top-level message, in order.
 */
export async function postAppGallery(api: SlackApiClient): Promise<AppGalleryShot[]> {
  const since = Date.parse('2024-11-05T07:00:00Z');
  const reports = storm();
  const parts = [reports.slice(0, 25), reports.slice(25, 50), reports.slice(50)].map((r) => aggregateOf(r));
  const [first, second, third] = parts as [(typeof parts)[0], (typeof parts)[0], (typeof parts)[0]];
  const digest = await api.postMessage(GALLERY_CHANNEL, buildLiveDigestMessage(first, { since }));
  const two = mergeAggregates(first, second);
  await api.update(GALLERY_CHANNEL, digest.ts, buildLiveDigestMessage(two, { since }));
  await api.update(
    GALLERY_CHANNEL,
    digest.ts,
    buildLiveDigestMessage(mergeAggregates(two, third), { since }),
  );

  const failures = [0, 5, 10]
    .map((n) => importFailed(n))
    .map((task) => ({ ...report(task), logs: logs(task) }));
  const [firstFailure, ...again] = failures as [(typeof failures)[0], ...typeof failures];
  const { parent, reply } = splitForThread(firstFailure);
  const thread = await api.postMessage(GALLERY_CHANNEL, parent);
  if (reply) await api.postMessage(GALLERY_CHANNEL, reply, { threadTs: thread.ts });
  for (const [i, failure] of again.entries()) {
    await api.postMessage(GALLERY_CHANNEL, buildSlackMessage(failure), { threadTs: thread.ts });
    await api.update(GALLERY_CHANNEL, thread.ts, withRepeatCount(parent, i + 2, since));
  }

  // The reverse, not chosen: the log tail leads in the channel, the card waits in the thread.
  const tailFirst = await api.postMessage(GALLERY_CHANNEL, {
    text: parent.text,
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: parent.text, emoji: false } },
      ...logTailBlocks(firstFailure.logs),
    ],
  });
  await api.postMessage(GALLERY_CHANNEL, parent, { threadTs: tailFirst.ts });
  return [
    { name: 'live-digest', title: "App mode: a storm's live digest, after two updates" },
    {
      name: 'thread',
      title: 'App mode: a failure thread (card in the channel, log tail and repeats in the thread)',
    },
    {
      name: 'thread-tail-first',
      title: 'App mode, not chosen: the log tail in the channel, the card in the thread',
    },
  ];
}
