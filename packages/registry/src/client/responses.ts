/*
 * Readers for the three small JSON bodies (and readJson, which they start from) the client gets besides manifests: a tag list page, a catalog page
 * and a token. Hand-written rather than zod schemas so that the client loads without zod: a CLI run such as a
 * no-op `dockmaster sync` takes ~100 ms, and compiling and running zod's module would be a fifth of it.
 * Each returns undefined when the body does not have the expected shape; the caller reports it.
 */

/** The body as JSON, undefined when it is not JSON (the caller reports an invalid response). */
async function readJson(response: { text(): Promise<string> }): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `undefined` and `null` (an empty repository) read as []; anything but an array of strings is invalid. */
function optionalStrings(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/** `{"name": "...", "tags": [...] | null}` -> the tags. */
function readTagListPage(json: unknown): string[] | undefined {
  if (!isRecord(json) || (json.name !== undefined && typeof json.name !== 'string')) return undefined;
  return optionalStrings(json.tags);
}

/** `{"repositories": [...] | null}` -> the repository names. */
function readCatalogPage(json: unknown): string[] | undefined {
  return isRecord(json) ? optionalStrings(json.repositories) : undefined;
}

/** `{"token" | "access_token": "...", "expires_in"?: seconds}`, as Docker's token spec and OAuth2 spell it. */
function readTokenResponse(json: unknown): { value: string; expiresInSeconds: number | undefined } | undefined {
  if (!isRecord(json)) return undefined;
  const { token, access_token: accessToken, expires_in: expiresIn } = json;
  if ((token !== undefined && typeof token !== 'string') || (accessToken !== undefined && typeof accessToken !== 'string')) return undefined;
  if (expiresIn !== undefined && typeof expiresIn !== 'number') return undefined;
  const value = token ?? accessToken;
  return value === undefined ? undefined : { value, expiresInSeconds: expiresIn };
}

export { isRecord, readCatalogPage, readJson, readTagListPage, readTokenResponse };
