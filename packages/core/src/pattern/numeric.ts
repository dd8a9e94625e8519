import { describeJson } from './describe-json.js';
import type { ValueMatcher } from './types.js';

/** EventBridge's numeric matching covers -5.0e9 … +5.0e9 inclusive. */
const NUMERIC_LIMIT = 5e9;

/**
 * The number EventBridge actually compares. Event Ruler (EventBridge's matcher) maps a number to
 * `(long) (1e6 * (5e9 + x))`: six decimal places, about 15 significant digits. Doing the same
 * arithmetic on the same IEEE doubles makes boundary cases (0.0000001 is not `> 0`) agree.
 * Undefined outside the supported range: such values never match numerically.
 */
const comparableNumber = (value: number): number | undefined => {
  if (!Number.isFinite(value) || value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) return undefined;
  return Math.trunc(1e6 * (NUMERIC_LIMIT + value));
};

/** Equality of two JSON numbers as EventBridge sees it: same literal value, or same comparable form. */
const numbersEqual = (left: number, right: number): boolean => {
  if (left === right) return true;
  const comparableLeft = comparableNumber(left);
  return comparableLeft !== undefined && comparableLeft === comparableNumber(right);
};

const LOWER_OPERATORS = ['>', '>='] as const;
const UPPER_OPERATORS = ['<', '<='] as const;
const NUMERIC_OPERATORS = ['=', ...LOWER_OPERATORS, ...UPPER_OPERATORS] as const;
type NumericOperator = (typeof NUMERIC_OPERATORS)[number];

type Bound = { value: number; inclusive: boolean };

/** A failed parse carries the reason; the caller adds the location. */
type NumericParse = { ok: true; matcher: ValueMatcher } | { ok: false; reason: string };

const isNumericOperator = (value: unknown): value is NumericOperator =>
  typeof value === 'string' && (NUMERIC_OPERATORS as readonly string[]).includes(value);

const USAGE = 'write {"numeric": ["=", 5]}, {"numeric": [">", 0]} or {"numeric": [">", 0, "<=", 5]}';

/** Parses the operand of `{"numeric": [...]}`: one comparison, or a lower and an upper bound. */
const parseNumeric = (operand: unknown): NumericParse => {
  if (!Array.isArray(operand)) return { ok: false, reason: `"numeric" expects an array, got ${describeJson(operand)}; ${USAGE}` };
  if (operand.length !== 2 && operand.length !== 4) {
    return { ok: false, reason: `"numeric" expects 2 or 4 elements (operator, number[, operator, number]), got ${operand.length}; ${USAGE}` };
  }
  let equal: number | undefined;
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  for (let index = 0; index < operand.length; index += 2) {
    const operator: unknown = operand[index];
    const value: unknown = operand[index + 1];
    if (!isNumericOperator(operator)) {
      return { ok: false, reason: `"numeric" has unknown operator ${describeJson(operator)}; use one of ${NUMERIC_OPERATORS.map((item) => `"${item}"`).join(', ')}` };
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return { ok: false, reason: `"numeric" operator "${operator}" needs a JSON number, got ${describeJson(value)}` };
    }
    if (value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) {
      return { ok: false, reason: `"numeric" value ${value} is out of range; EventBridge compares numbers between -5.0e9 and 5.0e9 inclusive` };
    }
    if (operator === '=') {
      if (operand.length !== 2) return { ok: false, reason: '"numeric" "=" cannot be combined with another comparison; use ["=", n] alone' };
      equal = value;
    } else if ((LOWER_OPERATORS as readonly string[]).includes(operator)) {
      if (lower) return { ok: false, reason: '"numeric" has two lower bounds (">"/">="); a range needs one lower and one upper bound' };
      lower = { value, inclusive: operator === '>=' };
    } else {
      if (upper) return { ok: false, reason: '"numeric" has two upper bounds ("<"/"<="); a range needs one lower and one upper bound' };
      upper = { value, inclusive: operator === '<=' };
    }
  }
  if (equal !== undefined) {
    const target = equal;
    return { ok: true, matcher: (value) => typeof value === 'number' && numbersEqual(value, target) };
  }
  if (lower && upper && comparableOf(lower) >= comparableOf(upper)) {
    return { ok: false, reason: `"numeric" range is empty: the lower bound ${lower.value} must be less than the upper bound ${upper.value}` };
  }
  return { ok: true, matcher: rangeMatcher(lower, upper) };
};

const comparableOf = (bound: Bound): number => comparableNumber(bound.value) ?? Number.NaN;

const rangeMatcher = (lower: Bound | undefined, upper: Bound | undefined): ValueMatcher => {
  const low = lower && { at: comparableOf(lower), inclusive: lower.inclusive };
  const high = upper && { at: comparableOf(upper), inclusive: upper.inclusive };
  return (value) => {
    if (typeof value !== 'number') return false;
    const comparable = comparableNumber(value);
    if (comparable === undefined) return false;
    if (low && (low.inclusive ? comparable < low.at : comparable <= low.at)) return false;
    if (high && (high.inclusive ? comparable > high.at : comparable >= high.at)) return false;
    return true;
  };
};

export { comparableNumber, numbersEqual, parseNumeric };
export type { NumericParse };
