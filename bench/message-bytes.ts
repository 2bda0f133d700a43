import { galleryMessages } from '../local/message-gallery.js';

/**
 * Each kind's payload size before this release's message work (commit ccb5fb5), for the same
 * gallery events: the messages the README shows, as Slack would receive them.
 */
export const BYTES_BEFORE: Readonly<Record<string, number>> = {
  'failed-with-tail': 4162,
  'failed-to-start': 3025,
  mismatch: 2991,
  'source-uncertain': 3005,
  success: 2802,
  spot: 2796,
  digest: 3121,
  'routed-mention': 2883,
};

/** The JSON bytes of each kind of message in the gallery, by its name. */
export function measureMessageBytes(): Record<string, number> {
  return Object.fromEntries(
    galleryMessages().map((m) => [m.name, Buffer.byteLength(JSON.stringify(m.payload))] as const),
  );
}
