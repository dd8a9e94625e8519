export { compileEventPattern, matchesEventPattern, validateEventPattern } from './event-pattern.js';
export { InvalidEventPatternError } from './invalid-event-pattern-error.js';
export { InvalidEventError, prepareEvent } from './prepare-event.js';
export type { EventPattern, PatternCheck } from './types.js';
