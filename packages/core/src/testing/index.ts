/* Test tables and readers shared by the tests of every package that reads what core defines (`@dockmaster/core/testing`). */
export { ACCEPTED_CRONS, ACCEPTED_RATES, REFUSED_SCHEDULES } from './schedule-expressions.js';
export { applyTextEdits, jsonPaths, withValueAt } from './json-edits.js';
export type { JsonPath, TextEdit } from './json-edits.js';
export { AWS_SAMPLES_DIRECTORY, awsSampleEvent, awsSamplePath, awsSampleText, cloudTrailEnvelope } from './aws-samples.js';
export { EXAMPLE_CONFIG_PATH, exampleConfigText } from './example-config.js';
