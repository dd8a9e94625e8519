/**
 * The `rel="next"` target of a Link header, resolved against the request URL (registries send relative links,
 * e.g. `</v2/_catalog?last=a%2Fb&n=100>; rel="next"`).
 */
function nextLink(header: string | null, requestUrl: string | URL): URL | undefined {
  if (header === null) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match === null) continue;
    const [, target, params] = match;
    if (target !== undefined && /;\s*rel="?next"?/i.test(params ?? '')) return new URL(target, requestUrl);
  }
  return undefined;
}

export { nextLink };
