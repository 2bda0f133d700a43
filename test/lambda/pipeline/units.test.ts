import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planUnits } from '../../../lambda/pipeline/units.js';
import { reportFrom } from '../../support/reports.js';

/** A ready event of a task of `family` from `source`. */
function ready(index: number, family: string, source = 'batch (vpc-a)') {
  const report = reportFrom(
    'ec2-stopped-failed',
    { taskArn: `arn:aws:ecs:us-east-2:444455556666:task/batch-b/${String(index).padStart(32, '0')}`, family },
    { source: { label: source, configured: true } },
  );
  return { index, report };
}

const shape = (units: ReturnType<typeof planUnits>) => units.map((u) => [u.members, u.digest]);

describe('planUnits', () => {
  it('sends exactly digestThreshold stops of one family one by one', () => {
    const batch = [0, 1, 2, 3, 4].map((i) => ready(i, 'nightly'));
    expect(shape(planUnits(batch, 5))).toEqual([0, 1, 2, 3, 4].map((i) => [[i], false]));
  });

  it('digests one stop more than digestThreshold into one message', () => {
    const batch = [0, 1, 2, 3, 4, 5].map((i) => ready(i, 'nightly'));
    expect(shape(planUnits(batch, 5))).toEqual([[[0, 1, 2, 3, 4, 5], true]]);
  });

  it('sends the stops of families at or under the threshold one by one, whatever their source', () => {
    const batch = [ready(0, 'a'), ready(1, 'b'), ready(2, 'a', 'other'), ready(3, 'a'), ready(4, 'a')];
    expect(shape(planUnits(batch, 2))).toEqual([
      [[0, 3, 4], true],
      [[1], false],
      [[2], false],
    ]);
  });

  it('puts every family over the threshold, of every source, into one digest: a storm is one message', () => {
    const batch = [
      ...[0, 1, 2].map((i) => ready(i, 'a', 'one')),
      ...[3, 4, 5].map((i) => ready(i, 'b', 'two')),
      ready(6, 'c', 'two'),
    ];
    expect(shape(planUnits(batch, 2))).toEqual([
      [[0, 1, 2, 3, 4, 5], true],
      [[6], false],
    ]);
  });

  it('folds the single stops of a busy batch into its digest rather than flooding the channel beside it', () => {
    const batch = [
      ...[0, 1, 2].map((i) => ready(i, 'array-job')),
      ...[3, 4, 5].map((i) => ready(i, `other-${i}`)),
    ];
    expect(shape(planUnits(batch, 2))).toEqual([[[0, 1, 2, 3, 4, 5], true]]);
    // Up to the threshold, they keep a message of their own.
    expect(shape(planUnits(batch.slice(0, 5), 2))).toEqual([
      [[0, 1, 2], true],
      [[3], false],
      [[4], false],
    ]);
  });

  it('digests the largest families first when the messages would exceed the budget', () => {
    const batch = [ready(0, 'a'), ready(1, 'b'), ready(2, 'b'), ready(3, 'c'), ready(4, 'c'), ready(5, 'c')];
    expect(shape(planUnits(batch, 5, 4))).toEqual([
      [[0], false],
      [[1], false],
      [[2], false],
      [[3, 4, 5], true],
    ]);
  });

  it('joins single stops to the digest when digesting families is not enough', () => {
    const batch = [ready(0, 'a'), ready(1, 'b'), ready(2, 'c'), ready(3, 'd', 'other')];
    expect(shape(planUnits(batch, 5, 2))).toEqual([
      [[0, 1, 2], true],
      [[3], false],
    ]);
  });

  it('folds everything into one digest when even one message per source is too many', () => {
    const batch = [ready(0, 'a', 'one'), ready(1, 'b', 'two'), ready(2, 'c', 'three')];
    expect(shape(planUnits(batch, 5, 1))).toEqual([[[0, 1, 2], true]]);
  });

  it('puts every event in exactly one of at most maxMessages messages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom('s1', 's2', 's3')), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 12 }),
        (events, threshold, max) => {
          const units = planUnits(
            events.map(([family, source], i) => ready(i, family, source)),
            threshold,
            max,
          );
          const members = units.flatMap((u) => u.members).sort((a, b) => a - b);
          expect(members).toEqual(events.map((_, i) => i));
          expect(units.length).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 200 },
    );
  });
});
