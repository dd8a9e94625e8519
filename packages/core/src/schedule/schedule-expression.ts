/*
 * EventBridge schedule expressions ("Setting a schedule pattern for scheduled rules", EventBridge user guide),
 * parsed and validated as EventBridge does, so that `validate`, the deploy and the local scheduler accept
 * the same expressions, and only those:
 * - rate(value unit): value a positive integer; unit minute|minutes|hour|hours|day|days, the singular only
 *   for 1 and the plural only for more;
 * - cron(Minutes Hours Day-of-month Month Day-of-week Year): six fields, each with its documented values and
 *   wildcards; one of Day-of-month and Day-of-week must be `?`.
 * Hand-written: cron-parser and friends take five- or six-field Unix/Quartz syntax, which is not EventBridge's
 * (they accept `cron(0 3 * * *)`, and seconds), so they would accept exactly what this must refuse.
 */

const RateUnit = { Minute: 'minute', Hour: 'hour', Day: 'day' } as const;
type RateUnit = (typeof RateUnit)[keyof typeof RateUnit];

const RATE_UNIT_MS: Record<RateUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The six cron fields, in order, with their documented values and the wildcards each allows. */
const CRON_FIELDS = [
  { name: 'Minutes', min: 0, max: 59, wildcards: ',-*/' },
  { name: 'Hours', min: 0, max: 23, wildcards: ',-*/' },
  { name: 'Day-of-month', min: 1, max: 31, wildcards: ',-*?/LW' },
  { name: 'Month', min: 1, max: 12, wildcards: ',-*/', names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'Day-of-week', min: 1, max: 7, wildcards: ',-*?L#', names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'Year', min: 1970, max: 2199, wildcards: ',-*/' },
] as const;
type CronFieldSpec = (typeof CRON_FIELDS)[number];

/** Minutes, Hours, Day-of-month, Month, Day-of-week, Year, as written. */
type CronFields = readonly [string, string, string, string, string, string];

type Schedule = { kind: 'rate'; value: number; unit: RateUnit; everyMs: number } | { kind: 'cron'; fields: CronFields };

/** `position` is the 1-based character of the expression where the problem starts. */
type ScheduleParse = { ok: true; schedule: Schedule } | { ok: false; position: number; reason: string };

const EXAMPLES = 'for example "rate(6 hours)" or "cron(0 3 * * ? *)"';

const fail = (position: number, problem: string): ScheduleParse => ({ ok: false, position, reason: `at character ${position}: ${problem}` });

const parseRate = (body: string, offset: number): ScheduleParse => {
  const match = /^(\S+) (\S+)$/.exec(body);
  if (!match) return fail(offset, `a rate is "rate(<value> <unit>)" with one space, got "rate(${body})"; ${EXAMPLES}`);
  const [, valueText = '', unitText = ''] = match;
  const unitAt = offset + valueText.length + 1;
  if (!/^\d+$/.test(valueText)) return fail(offset, `the rate value must be a positive whole number, got "${valueText}"`);
  const value = Number(valueText);
  if (value === 0) return fail(offset, 'the rate value must be positive, got 0; the shortest rate is "rate(1 minute)"');
  if (!Number.isSafeInteger(value)) return fail(offset, `the rate value ${valueText} is too large`);
  const singular = unitText.replace(/s$/, '');
  if (!(Object.values(RateUnit) as string[]).includes(singular)) {
    return fail(unitAt, `the rate unit must be minute(s), hour(s) or day(s), got "${unitText}"`);
  }
  const wanted = value === 1 ? singular : `${singular}s`;
  if (unitText !== wanted) {
    return fail(unitAt, `with the value ${value} the unit must be "${wanted}" (the singular only for 1); write "rate(${value} ${wanted})"`);
  }
  const unit = singular as RateUnit;
  return { ok: true, schedule: { kind: 'rate', value, unit, everyMs: value * RATE_UNIT_MS[unit] } };
};

/** A number or (Month, Day-of-week) a name, within the field's range; undefined when it is neither. */
const readValue = (text: string, field: CronFieldSpec): number | undefined => {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : undefined;
  }
  const index = 'names' in field ? (field.names as readonly string[]).indexOf(text.toUpperCase()) : -1;
  return index < 0 ? undefined : index + 1;
};

const valuesOf = (field: CronFieldSpec): string =>
  `${field.min}-${field.max}${'names' in field ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`;

/** Checks one comma-separated item of a cron field; returns the problem, or undefined when it is valid. */
const checkCronItem = (item: string, field: CronFieldSpec): string | undefined => {
  const allows = (wildcard: string): boolean => field.wildcards.includes(wildcard);
  const badValue = (text: string): string => `${field.name} "${text}" is not a valid value; ${field.name} takes ${valuesOf(field)}`;
  if (item === '') return `${field.name} has an empty entry; separate values with single commas`;
  if (item === '*') return undefined;
  if (item === '?') return allows('?') ? undefined : `${field.name} cannot be "?" (only Day-of-month and Day-of-week can)`;
  if (field.name === 'Day-of-month') {
    if (item === 'L' || item === 'LW') return undefined;
    const weekday = /^(\d+)W$/.exec(item);
    if (weekday) return readValue(weekday[1] ?? '', field) === undefined ? badValue(item) : undefined;
  }
  if (field.name === 'Day-of-week') {
    if (item === 'L') return undefined;
    const last = /^(\w+)L$/.exec(item);
    if (last) return readValue(last[1] ?? '', field) === undefined ? badValue(item) : undefined;
    const nth = /^(\w+)#(\d+)$/.exec(item);
    if (nth) {
      if (readValue(nth[1] ?? '', field) === undefined) return badValue(item);
      const instance = Number(nth[2]);
      return instance >= 1 && instance <= 5 ? undefined : `Day-of-week "${item}": the instance after '#' must be 1-5 (the nth such day of the month)`;
    }
  }
  const [range = '', increment, ...extra] = item.split('/');
  if (extra.length > 0) return `${field.name} "${item}" has more than one '/'`;
  if (increment !== undefined) {
    if (!allows('/')) return `${field.name} does not allow increments ('/')`;
    if (!/^\d+$/.test(increment) || Number(increment) < 1 || Number(increment) > field.max) {
      return `${field.name} "${item}": the increment after '/' must be a whole number from 1 to ${field.max}`;
    }
    if (range === '*') return undefined;
  }
  const bounds = range.split('-');
  if (bounds.length > 2) return `${field.name} "${item}" has more than one '-'`;
  if (bounds.length === 2 && !allows('-')) return `${field.name} does not allow ranges ('-')`;
  const invalid = bounds.find((bound) => readValue(bound, field) === undefined);
  return invalid === undefined ? undefined : badValue(invalid === '' ? item : invalid);
};

const parseCron = (body: string, offset: number): ScheduleParse => {
  const fields = body.split(' ');
  if (fields.length !== CRON_FIELDS.length || fields.includes('')) {
    const hint =
      fields.filter((field) => field !== '').length === 5
        ? `; EventBridge cron has a Year field and uses "?" in Day-of-month or Day-of-week, e.g. "cron(0 3 * * *)" is written "cron(0 3 * * ? *)"`
        : `: ${CRON_FIELDS.map((field) => field.name).join(' ')}, separated by single spaces; ${EXAMPLES}`;
    return fail(offset, `a cron expression has 6 fields, got ${fields.filter((field) => field !== '').length}${hint}`);
  }
  let position = offset;
  for (const [index, text] of fields.entries()) {
    const field = CRON_FIELDS[index] as CronFieldSpec;
    let itemAt = position;
    const items = text.split(',');
    if (field.name === 'Day-of-week' && items.length > 1 && text.includes('#')) {
      return fail(position, `Day-of-week "${text}": with '#' the field holds one expression only ("3#1,6#3" is two)`);
    }
    for (const item of items) {
      if (item.length > 1 && (item.includes('?') || (item.includes('*') && !item.startsWith('*/')))) {
        return fail(itemAt, `${field.name} "${item}": "*" and "?" stand alone (or "*/<increment>")`);
      }
      const problem = checkCronItem(item, field);
      if (problem !== undefined) return fail(itemAt, problem);
      itemAt += item.length + 1;
    }
    position += text.length + 1;
  }
  const dayOfMonth = fields[2] as string;
  const dayOfWeek = fields[4] as string;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    const dayOfWeekAt = offset + fields.slice(0, 4).join(' ').length + 1;
    return fail(
      dayOfMonth === '?' ? offset + fields.slice(0, 2).join(' ').length + 1 : dayOfWeekAt,
      dayOfMonth === '?'
        ? 'Day-of-month and Day-of-week cannot both be "?"; give one of them a value or "*"'
        : `one of Day-of-month and Day-of-week must be "?"; for example "cron(${[...fields.slice(0, 4), '?', fields[5]].join(' ')})"`,
    );
  }
  return { ok: true, schedule: { kind: 'cron', fields: fields as unknown as CronFields } };
};

/** Parses an EventBridge schedule expression; a rejection names the character and how to fix it. */
const parseScheduleExpression = (expression: string): ScheduleParse => {
  const call = /^(rate|cron)\((.*)\)$/s.exec(expression);
  if (!call) {
    return fail(1, `${JSON.stringify(expression)} is not an EventBridge schedule expression; write rate(<value> <unit>) or cron(<6 fields>), ${EXAMPLES}`);
  }
  const [, kind, body = ''] = call;
  const offset = kind === undefined ? 1 : kind.length + 2;
  return kind === 'rate' ? parseRate(body, offset) : parseCron(body, offset);
};

export { CRON_FIELDS, parseScheduleExpression, RateUnit };
export type { Schedule, ScheduleParse };
