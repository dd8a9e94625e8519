/*
 * Policy comparison for "did anything change?". ECR hands policy text back re-formatted, so text equality
 * would report a change on every run; this compares meaning instead: key order, whitespace, a single value
 * vs a one-element list, and the order of set-valued lists (IAM treats Action, Resource, principal and
 * condition value lists as sets) do not count; nor does the order of statements.
 */

import { compareText, isRecord } from '../shared/index.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SET_VALUED_KEYS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);
const PRINCIPAL_KEYS = new Set(['Principal', 'NotPrincipal']);

/** The record with its keys sorted and each value mapped. */
const mapSorted = (record: Record<string, unknown>, map: (value: unknown, key: string) => Json): { [key: string]: Json } =>
  Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, map(record[key], key)]),
  );

/** Deep copy with object keys sorted; list order kept. */
const canonical = (value: unknown): Json => {
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value)) return mapSorted(value, canonical);
  return value as Json;
};

/** A string or list of strings as a sorted, de-duplicated list; anything else canonically. */
const asSet = (value: unknown): Json => {
  const list = typeof value === 'string' ? [value] : value;
  if (Array.isArray(list) && list.every((item) => typeof item === 'string')) return [...new Set(list)].sort();
  return canonical(value);
};

const normaliseStatementValue = (value: unknown, key: string): Json => {
  if (SET_VALUED_KEYS.has(key)) return asSet(value);
  if (PRINCIPAL_KEYS.has(key)) return isRecord(value) ? mapSorted(value, asSet) : canonical(value);
  if (key === 'Condition' && isRecord(value)) {
    return mapSorted(value, (operator) => (isRecord(operator) ? mapSorted(operator, asSet) : canonical(operator)));
  }
  return canonical(value);
};

const normaliseStatement = (statement: unknown): Json =>
  isRecord(statement) ? mapSorted(statement, normaliseStatementValue) : canonical(statement);


/** The comparable form of a policy document. */
const normalisePolicy = (policy: unknown): Json => {
  if (!isRecord(policy)) return canonical(policy);
  return mapSorted(policy, (value, key) => {
    if (key !== 'Statement') return canonical(value);
    const statements = (Array.isArray(value) ? value : [value]).map(normaliseStatement);
    return statements.sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)));
  });
};

/** True when two policy documents mean the same (see the module comment for what is ignored). */
const samePolicy = (a: unknown, b: unknown): boolean => JSON.stringify(normalisePolicy(a)) === JSON.stringify(normalisePolicy(b));

/** True when two statements mean the same. */
const sameStatement = (a: unknown, b: unknown): boolean =>
  JSON.stringify(normaliseStatement(a)) === JSON.stringify(normaliseStatement(b));

export { canonical, normalisePolicy, samePolicy, sameStatement };
export type { Json };
