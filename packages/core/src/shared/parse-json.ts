/**
 * JSON.parse that answers undefined instead of throwing: for callers that only want to know whether a text is
 * a JSON form they recognise (a config marker, the compact stored config) and fall back otherwise.
 */
const parseJsonOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

export { parseJsonOrUndefined };
