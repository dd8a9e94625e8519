export { CRON_FIELDS, parseScheduleExpression, RateUnit } from './schedule-expression.js';
export type { Schedule, ScheduleParse } from './schedule-expression.js';
