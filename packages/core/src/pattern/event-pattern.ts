import { compilePattern } from './compile-pattern.js';
import { InvalidEventPatternError } from './invalid-event-pattern-error.js';
import { matchCompiledPattern } from './match-event.js';
import { prepareEvent } from './prepare-event.js';
import type { PatternCheck } from './types.js';

/** Checks a pattern as EventBridge's PutRule would; the reason says where and how to fix it. */
const validateEventPattern = (pattern: unknown): PatternCheck => {
  try {
    compilePattern(pattern);
    return { ok: true };
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return { ok: false, reason: error.reason };
    throw error;
  }
};

/**
 * Compiles a pattern once into a predicate over events (parsed JSON). Non-object events never match.
 * @throws InvalidEventPatternError when EventBridge would reject the pattern.
 * The predicate throws InvalidEventError for an event EventBridge would refuse (nested too deep).
 */
const compileEventPattern = (pattern: unknown): ((event: unknown) => boolean) => {
  const compiled = compilePattern(pattern);
  return (event) => matchCompiledPattern(compiled, prepareEvent(event));
};

/** One-off match; compile with {@link compileEventPattern} to match many events. */
const matchesEventPattern = (pattern: unknown, event: unknown): boolean => compileEventPattern(pattern)(event);

export { compileEventPattern, matchesEventPattern, validateEventPattern };
