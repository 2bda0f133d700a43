/** One line of the report: a figure, its value, the target, the baseline it is compared with. */
export interface Row {
  figure: string;
  value: string;
  target: string;
  baseline: string;
  /** Undefined when the figure has no target of its own. */
  pass?: boolean;
}

/** The rows as a Markdown table, readable in a terminal and pasteable into the README. */
export function renderTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [
    r.figure,
    r.value,
    r.target,
    r.baseline,
    r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL',
  ]);
  const header = ['figure', 'value', 'target', 'baseline', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]) =>
    `| ${c.map((text, i) => text.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
