import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApiClient } from '../../lambda/adapters/slack-api.js';
import { GALLERY_CHANNEL, postAppGallery } from '../../local/app-gallery.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';

let sink: SlackSink;
beforeAll(async () => {
  sink = await startSlackSink();
});
afterAll(() => sink.close());

describe("the gallery's app-mode messages", () => {
  it('leaves one top-level message per picture: the live digest edited, the thread with its replies', async () => {
    const api = createSlackApiClient('xoxb-0000-0000-gallerytest', {
      apiUrl: sink.apiUrl,
      ratePerSecond: 1000,
      methodRatePerSecond: 1000,
    });

    const shots = await postAppGallery(api);

    const top = sink.messages().filter((m) => m.channel === GALLERY_CHANNEL && !m.threadTs);
    expect(top).toHaveLength(shots.length);
    expect(top.map((m) => m.edits ?? 0)).toEqual([2, 2, 0]);
    const replies = (parent: number) => sink.messages().filter((m) => m.threadTs === top[parent]?.ts);
    expect(replies(1)).toHaveLength(3);
    expect(replies(2)).toHaveLength(1);
    expect(JSON.stringify(top[1]?.payload)).toContain('failed 3× since 07:00 UTC');
  });
});
