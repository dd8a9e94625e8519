/** Median of a non-empty sample (the mean of the two middle values for an even count). */
function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Smallest and largest value of a non-empty sample. */
function spread(values: readonly number[]): { min: number; max: number } {
  if (values.length === 0) throw new Error('spread of an empty sample');
  return { min: Math.min(...values), max: Math.max(...values) };
}

/**
 * First and third quartile (the medians of the lower and upper half, the middle value left out of both for an
 * odd count: Tukey's hinges), so that five to nine samples give a stable interquartile range.
 */
function quartiles(values: readonly number[]): { q1: number; q3: number } {
  if (values.length < 2) throw new Error('quartiles need at least two values');
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return { q1: median(sorted.slice(0, half)), q3: median(sorted.slice(sorted.length - half)) };
}

function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}

/** A plain left-aligned text table; the first row is the header. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n');
}

export { formatSeconds, median, quartiles, spread, table };
