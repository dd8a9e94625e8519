export { isRecord } from './is-record.js';
