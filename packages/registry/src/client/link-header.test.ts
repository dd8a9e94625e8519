import { describe, expect, it } from 'vitest';
import { nextLink } from './link-header.js';

describe('nextLink', () => {
  it('resolves a relative next link against the request URL, as Distribution sends it', () => {
    // Act
    const next = nextLink('</v2/_catalog?last=demo%2Fdown&n=2>; rel="next"', 'http://127.0.0.1:5000/v2/_catalog?n=2');

    // Assess
    expect(next?.href).toBe('http://127.0.0.1:5000/v2/_catalog?last=demo%2Fdown&n=2');
  });

  it('picks rel=next among several links and ignores headers without one', () => {
    // Act
    const picked = nextLink('<https://r.example/v2/a/tags/list?last=x>; rel="prev", <https://r.example/v2/a/tags/list?last=y>; rel=next', 'https://r.example/v2/a/tags/list');
    const none = [nextLink(null, 'https://r.example/'), nextLink('<https://r.example/other>; rel="prev"', 'https://r.example/')];

    // Assess
    expect(picked?.href).toBe('https://r.example/v2/a/tags/list?last=y');
    expect(none).toEqual([undefined, undefined]);
  });
});
