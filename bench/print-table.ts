/** Prints rows as aligned columns: the first left-aligned (the workload), the numbers right-aligned. */
export function printTable(table: string[][]): void {
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  for (const row of table)
    process.stdout.write(
      `${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}\n`,
    );
}
