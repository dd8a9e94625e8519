/*
 * One table of EventBridge schedule expressions, for every test of what reads them: the core parser, the
 * config's prepopulate.schedule, and the local stack's scheduler. Each reason is the one the core parser gives
 * (a pattern where only its start matters), so the three tests cannot drift apart.
 */

/** Rates EventBridge accepts, with their interval. */
const ACCEPTED_RATES = [
  { expression: 'rate(1 minute)', everyMs: 60_000 },
  { expression: 'rate(5 minutes)', everyMs: 300_000 },
  { expression: 'rate(30 minutes)', everyMs: 1_800_000 },
  { expression: 'rate(1 hour)', everyMs: 3_600_000 },
  { expression: 'rate(6 hours)', everyMs: 21_600_000 },
  { expression: 'rate(1 day)', everyMs: 86_400_000 },
  { expression: 'rate(7 days)', everyMs: 604_800_000 },
] as const;

/** Cron expressions EventBridge accepts (six fields, a Year, "?" in one day field). */
const ACCEPTED_CRONS = [
  'cron(0 3 * * ? *)',
  'cron(0 10 * * ? *)',
  'cron(15 12 * * ? *)',
  'cron(0 18 ? * MON-FRI *)',
  'cron(0 8 1 * ? *)',
  'cron(0/15 * * * ? *)',
  'cron(0/10 * ? * MON-FRI *)',
  'cron(0/5 8-17 ? * MON-FRI *)',
  'cron(0/15 8-17 ? * MON-FRI *)',
  'cron(0 9 ? * 2#1 *)',
  'cron(*/30 * * * ? *)',
  'cron(0 3 L * ? *)',
  'cron(0 3 LW * ? *)',
  'cron(0 3 15W * ? *)',
  'cron(0 3 ? * 6L *)',
  'cron(0 3 ? * L *)',
  'cron(0 3 1,15 JAN,jul ? 2030-2035)',
  'cron(0 3 ? * 1,7 1970)',
  'cron(59 23 31 12 ? 2199)',
] as const;

/** Expressions EventBridge refuses, with the position and the fix the parser reports. */
const REFUSED_SCHEDULES: readonly { expression: string; reason: string | RegExp }[] = [
  { expression: 'rate(6 hour)', reason: 'at character 8: with the value 6 the unit must be "hours" (the singular only for 1); write "rate(6 hours)"' },
  { expression: 'rate(1 hours)', reason: 'at character 8: with the value 1 the unit must be "hour" (the singular only for 1); write "rate(1 hour)"' },
  { expression: 'rate(0 hours)', reason: 'at character 6: the rate value must be positive, got 0; the shortest rate is "rate(1 minute)"' },
  { expression: 'rate(0 minutes)', reason: 'at character 6: the rate value must be positive, got 0; the shortest rate is "rate(1 minute)"' },
  { expression: 'rate(-1 minutes)', reason: 'at character 6: the rate value must be a positive whole number, got "-1"' },
  { expression: 'rate(1.5 hours)', reason: 'at character 6: the rate value must be a positive whole number, got "1.5"' },
  { expression: 'rate(2 weeks)', reason: 'at character 8: the rate unit must be minute(s), hour(s) or day(s), got "weeks"' },
  { expression: 'rate(5  minutes)', reason: /^at character 6: a rate is "rate\(<value> <unit>\)" with one space/ },
  { expression: 'rate(5minutes)', reason: /^at character 6: a rate is "rate\(<value> <unit>\)" with one space/ },
  {
    expression: 'cron(0 3 * * *)',
    reason: 'at character 6: a cron expression has 6 fields, got 5; EventBridge cron has a Year field and uses "?" in Day-of-month or Day-of-week, e.g. "cron(0 3 * * *)" is written "cron(0 3 * * ? *)"',
  },
  { expression: 'cron(0 3 * * ? * *)', reason: /^at character 6: a cron expression has 6 fields, got 7: Minutes Hours Day-of-month Month Day-of-week Year/ },
  { expression: 'cron(0 3 * * * *)', reason: 'at character 14: one of Day-of-month and Day-of-week must be "?"; for example "cron(0 3 * * ? *)"' },
  { expression: 'cron(0 3 ? * ? *)', reason: 'at character 10: Day-of-month and Day-of-week cannot both be "?"; give one of them a value or "*"' },
  { expression: 'cron(60 3 * * ? *)', reason: 'at character 6: Minutes "60" is not a valid value; Minutes takes 0-59' },
  { expression: 'cron(0 24 * * ? *)', reason: 'at character 8: Hours "24" is not a valid value; Hours takes 0-23' },
  { expression: 'cron(0 3 32 * ? *)', reason: 'at character 10: Day-of-month "32" is not a valid value; Day-of-month takes 1-31' },
  { expression: 'cron(0 3 1 13 ? *)', reason: 'at character 12: Month "13" is not a valid value; Month takes 1-12 or JAN-DEC' },
  { expression: 'cron(0 3 ? * 8 *)', reason: 'at character 14: Day-of-week "8" is not a valid value; Day-of-week takes 1-7 or SUN-SAT' },
  { expression: 'cron(0 3 1 * ? 2200)', reason: 'at character 16: Year "2200" is not a valid value; Year takes 1970-2199' },
  { expression: 'cron(0 3 ? * 3#1,6#3 *)', reason: /^at character 14: Day-of-week "3#1,6#3": with '#' the field holds one expression only/ },
  { expression: 'cron(0 3 ? * 3#6 *)', reason: /^at character 14: Day-of-week "3#6": the instance after '#' must be 1-5/ },
  { expression: 'cron(0 3 ? * MON/2 *)', reason: "at character 14: Day-of-week does not allow increments ('/')" },
  { expression: 'cron(0 3 1 * ? L)', reason: 'at character 16: Year "L" is not a valid value; Year takes 1970-2199' },
  { expression: 'cron(0/0 3 1 * ? *)', reason: /^at character 6: Minutes "0\/0": the increment after '\/' must be a whole number from 1 to 59/ },
  { expression: 'cron(0 3 1,,2 * ? *)', reason: 'at character 12: Day-of-month has an empty entry; separate values with single commas' },
  { expression: 'cron(0 ? 1 * ? *)', reason: 'at character 8: Hours cannot be "?" (only Day-of-month and Day-of-week can)' },
  { expression: 'hourly', reason: /^at character 1: "hourly" is not an EventBridge schedule expression/ },
  { expression: 'Rate(1 hour)', reason: /^at character 1: "Rate\(1 hour\)" is not an EventBridge schedule expression/ },
];

export { ACCEPTED_CRONS, ACCEPTED_RATES, REFUSED_SCHEDULES };
