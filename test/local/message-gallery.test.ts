import { describe, expect, it } from 'vitest';
import { galleryMessages } from '../../local/message-gallery.js';
import { limitProblems, payloadTexts } from '../support/slack-payload.js';

/** What each kind of message may cost: JSON bytes, blocks in all, characters a reader reads, label rows. */
const BUDGETS: Record<string, { bytes: number; blocks: number; chars: number; rows: number }> = {
  'failed-with-tail': { bytes: 2800, blocks: 9, chars: 740, rows: 8 },
  'failed-to-start': { bytes: 1900, blocks: 6, chars: 540, rows: 8 },
  mismatch: { bytes: 1700, blocks: 5, chars: 400, rows: 8 },
  'source-uncertain': { bytes: 1700, blocks: 6, chars: 400, rows: 8 },
  success: { bytes: 460, blocks: 1, chars: 80, rows: 0 },
  spot: { bytes: 1500, blocks: 5, chars: 320, rows: 8 },
  digest: { bytes: 2700, blocks: 7, chars: 500, rows: 4 },
  'routed-mention': { bytes: 1550, blocks: 6, chars: 320, rows: 8 },
};

const messages = galleryMessages();

/** The text a reader reads: links as their labels, our emoji codes and mrkdwn markers as nothing. */
function readChars(payload: unknown): number {
  return payloadTexts(payload)
    .filter((t) => t.kind !== 'text')
    .map((t) =>
      t.kind === 'mrkdwn' ? t.text.replace(/<[^|>]*\|([^>]*)>/g, '$1').replace(/:[a-z_]+:|\*/g, '') : t.text,
    )
    .join('').length;
}

function blocksOf(payload: { blocks?: unknown[]; attachments?: { blocks?: unknown[] }[] }): unknown[] {
  return [...(payload.blocks ?? []), ...(payload.attachments ?? []).flatMap((a) => a.blocks ?? [])];
}

/** Label rows: bold labels in a fields table. */
function rows(payload: unknown): number {
  return payloadTexts(payload).filter(
    (t) => /fields\[\d*[02468]\]$/.test(t.path) && /^\*[^*]+\*$/.test(t.text),
  ).length;
}

describe('the gallery of messages', () => {
  it('has every kind the README shows', () => {
    expect(messages.map((m) => m.name).sort()).toEqual(Object.keys(BUDGETS).sort());
  });

  describe.each(messages.map((m) => [m.name, m] as const))('%s', (name, message) => {
    const budget = BUDGETS[name] as (typeof BUDGETS)[string];

    it('keeps every Slack limit', () => {
      expect(limitProblems(message.payload)).toEqual([]);
    });

    it('stays within its budget of bytes, blocks, characters and rows', () => {
      expect({
        bytes: Buffer.byteLength(JSON.stringify(message.payload)),
        blocks: blocksOf(message.payload).length,
        chars: readChars(message.payload),
        rows: rows(message.payload),
      }).toSatisfy(
        (got: typeof budget) =>
          got.bytes <= budget.bytes &&
          got.blocks <= budget.blocks &&
          got.chars <= budget.chars &&
          got.rows <= budget.rows,
      );
    });

    it('says whole, in its first shown line and its notification, what the first line needs', () => {
      const shown = payloadTexts(message.payload).find(
        (t) => t.kind !== 'text' && !t.text.startsWith('<!'),
      )?.text;
      const notification = message.payload.text.replaceAll('\u2060', '');
      for (const words of message.firstLine) {
        expect(shown).toContain(words);
        expect(notification).toContain(words);
      }
    });
  });
});
