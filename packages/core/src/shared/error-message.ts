/**
 * The message of anything a `catch` received: an Error's `message`, anything else (a thrown string, a
 * rejected promise's value) as `String(value)`. For reasons built around a library's or the runtime's error.
 */
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export { errorMessage };
