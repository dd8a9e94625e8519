/**
 * Code-unit order of two strings (what `Array.prototype.sort` does without a comparator), as a comparator
 * that can be chained with `||`. Not `localeCompare`: sorted output (policies, finding lists) must not change
 * with the machine's locale.
 */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export { compareText };
