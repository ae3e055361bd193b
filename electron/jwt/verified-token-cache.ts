/**
 * Bounded cache of tokens whose signature one JwtService (one key) has verified: token → its claims.
 *
 * Hot path of every API request, so both choices below are about cost per hit:
 * - Entries are found by the token's signature segment (43 characters for HS256) and then compared with
 *   the whole token. Hashing the short segment is several times cheaper than hashing the ~300-character
 *   token, and the full comparison keeps it exact: a forged token reusing a real signature is a miss and
 *   goes to full verification (where it fails and is never stored).
 * - Eviction is CLOCK ("second chance"), an approximation of LRU that only sets a flag on a hit instead of
 *   re-inserting the entry into the Map.
 */
export type VerifiedClaims = Readonly<Record<string, unknown>>;

interface CacheEntry {
  token: string;
  claims: VerifiedClaims;
  recentlyUsed: boolean;
}

export class VerifiedTokenCache {
  readonly #entries = new Map<string, CacheEntry>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(token: string): VerifiedClaims | undefined {
    const entry = this.#entries.get(signatureSegment(token));
    if (entry === undefined || entry.token !== token) return undefined;
    entry.recentlyUsed = true;
    return entry.claims;
  }

  /** Only for tokens whose signature has been verified (or that this service signed itself). */
  set(token: string, claims: VerifiedClaims): void {
    const key = signatureSegment(token);
    const existing = this.#entries.get(key);
    if (existing) {
      Object.assign(existing, { token, claims, recentlyUsed: true });
      return;
    }
    this.#entries.set(key, { token, claims, recentlyUsed: false });
    while (this.#entries.size > this.capacity) this.#evictOne();
  }

  #evictOne(): void {
    // Oldest first; a used entry loses its flag and goes to the back instead. Terminates: every entry is
    // visited at most twice.
    for (const [key, entry] of this.#entries) {
      this.#entries.delete(key);
      if (!entry.recentlyUsed) return;
      entry.recentlyUsed = false;
      this.#entries.set(key, entry);
    }
  }
}

function signatureSegment(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1);
}
