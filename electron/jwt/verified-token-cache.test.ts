import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from './verified-token-cache.js';

const claims = (sub: string) => Object.freeze({ sub });

describe('VerifiedTokenCache', () => {
  it('finds a token only by its exact text, even when another token reuses its signature', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('h.p1.sig', claims('a'));
    expect(cache.get('h.p1.sig')).toEqual({ sub: 'a' });
    expect(cache.get('h.p2.sig')).toBeUndefined();
    expect(cache.get('x.p1.sig')).toBeUndefined();
  });

  it('stays within capacity and evicts unused entries before recently used ones (second chance)', () => {
    const cache = new VerifiedTokenCache(3);
    cache.set('a.a.1', claims('1'));
    cache.set('a.a.2', claims('2'));
    cache.set('a.a.3', claims('3'));
    cache.get('a.a.1'); // the oldest, but in use
    cache.set('a.a.4', claims('4'));
    expect(cache.size).toBe(3);
    expect(cache.get('a.a.1')).toBeDefined();
    expect(cache.get('a.a.2')).toBeUndefined();
    for (let i = 5; i < 50; i += 1) cache.set(`a.a.${i}`, claims(String(i)));
    expect(cache.size).toBe(3);
  });
});
