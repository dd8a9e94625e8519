interface AuthChallenge {
  /** Lower-case scheme: `bearer`, `basic`, ... */
  scheme: string;
  /** Parameter names lower-cased: `realm`, `service`, `scope`, `error`. */
  params: Record<string, string>;
}

/**
 * Parses `WWW-Authenticate` into challenges. Written by hand because the RFC 7235 grammar needs quoted-string
 * handling (scopes contain commas and colons) and there is no maintained tiny parser for it.
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull,push"`.
 */
function parseWwwAuthenticate(header: string | null | undefined): AuthChallenge[] {
  if (header === null || header === undefined) return [];
  const challenges: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let at = 0;
  const skipSpaceAndCommas = (): void => {
    while (at < header.length && /[\s,]/.test(header[at] ?? '')) at += 1;
  };
  while (at < header.length) {
    skipSpaceAndCommas();
    const token = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(header.slice(at))?.[0];
    if (token === undefined) break;
    at += token.length;
    while (header[at] === ' ' || header[at] === '\t') at += 1;
    if (header[at] !== '=') {
      // A bare token starts a new challenge (the scheme).
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
      continue;
    }
    at += 1;
    while (header[at] === ' ' || header[at] === '\t') at += 1;
    let value = '';
    if (header[at] === '"') {
      at += 1;
      while (at < header.length && header[at] !== '"') {
        if (header[at] === '\\') at += 1;
        value += header[at] ?? '';
        at += 1;
      }
      at += 1;
    } else {
      const bare = /^[^\s,]*/.exec(header.slice(at))?.[0] ?? '';
      value = bare;
      at += bare.length;
    }
    if (current !== undefined) current.params[token.toLowerCase()] = value;
  }
  return challenges;
}

export { parseWwwAuthenticate };
export type { AuthChallenge };
