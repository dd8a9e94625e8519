/**
 * Code-unit order, as `Array.prototype.sort()` without a comparator uses. Not localeCompare: its first call
 * builds an ICU collator (about 10 ms, a tenth of a no-op sync), and names and tags want a stable,
 * locale-independent order anyway (the state file must diff the same on every machine).
 */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export { compareText };
