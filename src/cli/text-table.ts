/** An aligned text table, indented two spaces, two spaces between columns; `right` columns are right-aligned. */
export function textTable(head: string[], rows: string[][], right: boolean[] = []): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(head), line(widths.map((n) => '-'.repeat(n))), ...rows.map(line)];
}
