/** Work that was pushed, with what it gave. */
export interface Done<Input, Output> {
  input: Input;
  output: Output;
}

/**
 * Runs up to `size` pieces of work at once and hands back their outputs in the order the inputs
 * were pushed: `push` starts one and returns those finished at the front of the line (waiting for
 * the oldest while `size` are in flight); `drain` waits for the rest.
 */
export function createOrderedWindow<Input, Output>(
  size: number,
  work: (input: Input) => Promise<Output>,
): { push(input: Input): Promise<Done<Input, Output>[]>; drain(): Promise<Done<Input, Output>[]> } {
  const line: { input: Input; output: Promise<Output>; settled: boolean }[] = [];
  const take = async (all: boolean) => {
    const done: Done<Input, Output>[] = [];
    for (let head = line[0]; head && (all || head.settled || line.length >= size); head = line[0]) {
      line.shift();
      done.push({ input: head.input, output: await head.output });
    }
    return done;
  };
  return {
    push(input) {
      const slot = { input, output: work(input), settled: false };
      const settle = () => {
        slot.settled = true;
      };
      slot.output.then(settle, settle);
      line.push(slot);
      return take(false);
    },
    drain: () => take(true),
  };
}
