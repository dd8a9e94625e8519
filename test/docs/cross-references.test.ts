import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * Small facts a new user trips over: a doc that sends the reader "below" to a section above, and npm printing
 * `package: undefined` because the root package.json has no version.
 */

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = path.join(REPOSITORY_ROOT, 'docs');

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to "-". */
const slug = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replaceAll(' ', '-');

type Reference = { file: string; target: string; direction: 'above' | 'below'; at: number };

/** `[Title](#anchor) above|below` and `"Title" above|below` naming a heading of the same file. */
const referencesIn = (file: string, markdown: string, headings: Map<string, number>): Reference[] => {
  const found: Reference[] = [];
  for (const match of markdown.matchAll(/\[[^\]]+\]\(#([a-z0-9_-]+)\)\s+(above|below)\b/g)) {
    found.push({ file, target: match[1] ?? '', direction: match[2] as Reference['direction'], at: match.index });
  }
  for (const match of markdown.matchAll(/"([^"\n]+)"\s+(above|below)\b/g)) {
    const target = slug(match[1] ?? '');
    if (headings.has(target)) found.push({ file, target, direction: match[2] as Reference['direction'], at: match.index });
  }
  return found;
};

describe('docs cross-references', () => {
  it('point "above" or "below" the way the section they name really is', () => {
    // Prepare
    const files = readdirSync(DOCS).filter((name) => name.endsWith('.md'));
    const wrong: string[] = [];
    let checked = 0;

    for (const file of files) {
      const markdown = readFileSync(path.join(DOCS, file), 'utf8');
      const headings = new Map([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) => [slug(match[1] ?? ''), match.index] as const));

      // Act
      for (const reference of referencesIn(file, markdown, headings)) {
        const heading = headings.get(reference.target);
        if (heading === undefined) continue;
        checked += 1;
        const actual = heading < reference.at ? 'above' : 'below';
        if (actual !== reference.direction) wrong.push(`${file}: #${reference.target} is ${actual}, the text says ${reference.direction}`);
      }
    }

    // Assess
    expect(checked).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });
});

describe('package.json', () => {
  it('has a version at the root (npm prints "package: undefined" without one), the workspaces\' own, and stays private', () => {
    // Prepare
    const read = (file: string) => JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8')) as { version?: string; private?: boolean };
    const workspaces = readdirSync(path.join(REPOSITORY_ROOT, 'packages')).map((name) => read(path.join('packages', name, 'package.json')));

    // Act
    const root = read('package.json');

    // Assess
    expect(root.private).toBe(true);
    expect(root.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(new Set(workspaces.map((workspace) => workspace.version))).toEqual(new Set([root.version]));
  });
});
