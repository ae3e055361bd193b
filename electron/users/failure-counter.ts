/**
 * Failed-login counters by key, with a doubling lock: the building block of both login limiters.
 *
 * Policy: the first `maxFailures` consecutive failures of a key are free; each further failure locks the
 * key for baseDelay · 2^(n−1), capped at maxDelay. Memory is bounded (maxEntries), dropping unlocked
 * entries before locked ones.
 */

export interface FailureCounterOptions {
  maxFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Most keys remembered; beyond it the stalest unlocked ones are forgotten. */
  maxEntries?: number;
  /** A key untouched this long, and not locked, is forgotten (its counter starts again). */
  forgetAfterMs?: number;
  now?: () => number;
}

interface FailureEntry {
  failures: number;
  lockedUntil: number;
  lastFailureAt: number;
  /** lockedUntil before the most recent failure, so undoFailure() can take that failure back exactly. */
  lockedUntilBefore: number;
}

export class FailureCounter {
  #maxFailures: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxEntries: number;
  readonly #forgetAfterMs: number;
  readonly now: () => number;
  /** Insertion order = order of last failure, so the first entries are the stalest. */
  readonly #entries = new Map<string, FailureEntry>();

  constructor(options: FailureCounterOptions = {}) {
    this.#maxFailures = checkMaxFailures(options.maxFailures ?? 5);
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#forgetAfterMs = options.forgetAfterMs ?? 24 * 60 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** How many consecutive failures of a key are free before its lock starts (0: the first one locks). */
  get maxFailures(): number {
    return this.#maxFailures;
  }

  /**
   * Changes the free failures live. It applies from each key's next failure on: a running lock is neither
   * shortened nor lengthened.
   */
  set maxFailures(value: number) {
    this.#maxFailures = checkMaxFailures(value);
  }

  /** Milliseconds until `key` may try again; 0 when it is not locked. */
  lockRemaining(key: string, now = this.now()): number {
    const entry = this.#entries.get(key);
    return entry ? Math.max(0, entry.lockedUntil - now) : 0;
  }

  fail(key: string, now = this.now()): void {
    const previous = this.#entries.get(key);
    const entry: FailureEntry =
      previous && !this.#isStale(previous, now) ? previous : { failures: 0, lockedUntil: 0, lastFailureAt: now, lockedUntilBefore: 0 };
    entry.failures += 1;
    entry.lockedUntilBefore = entry.lockedUntil;
    entry.lastFailureAt = now;
    const beyond = entry.failures - this.#maxFailures;
    if (beyond > 0) {
      // 2^(beyond-1) overflows to Infinity for huge counts; min() keeps the cap either way.
      entry.lockedUntil = now + Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (beyond - 1));
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#evict(now);
  }

  /** Forgets `key` (a success, or an admin's unlock). True when it was locked. */
  clear(key: string, now = this.now()): boolean {
    const locked = this.lockRemaining(key, now) > 0;
    this.#entries.delete(key);
    return locked;
  }

  /**
   * Takes back the most recent failure of `key`: a login is counted as failed before its password check,
   * and a success that must not reset the counter undoes just that one. The lock returns to what it was
   * before that failure.
   */
  undoFailure(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.failures -= 1;
    entry.lockedUntil = entry.lockedUntilBefore;
    if (entry.failures <= 0) this.#entries.delete(key);
  }

  /** Remembered keys accepted by `select`, with when each one's lock ends (0 or past: not locked). */
  find(select: (key: string) => boolean): Array<{ key: string; lockedUntil: number }> {
    const found: Array<{ key: string; lockedUntil: number }> = [];
    for (const [key, entry] of this.#entries) if (select(key)) found.push({ key, lockedUntil: entry.lockedUntil });
    return found;
  }

  /** Forgets every key accepted by `select`; returns how many of them were locked. */
  clearWhere(select: (key: string) => boolean, now = this.now()): number {
    let locked = 0;
    for (const [key, entry] of this.#entries) {
      if (!select(key)) continue;
      if (entry.lockedUntil > now) locked += 1;
      this.#entries.delete(key);
    }
    return locked;
  }

  /** Number of remembered keys (for tests of the memory bound). */
  get size(): number {
    return this.#entries.size;
  }

  #isStale(entry: FailureEntry, now: number): boolean {
    return entry.lockedUntil <= now && now - entry.lastFailureAt >= this.#forgetAfterMs;
  }

  /**
   * Keeps memory bounded. Unlocked entries go first (oldest first): dropping a lock would let a flood of
   * fresh names or addresses buy an attacker new guesses. Only if everything left is locked do the oldest
   * locks go, which needs maxEntries distinct locked keys.
   */
  #evict(now: number): void {
    if (this.#entries.size <= this.#maxEntries) return;
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries) return;
      if (entry.lockedUntil <= now) this.#entries.delete(key);
    }
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) return;
      this.#entries.delete(key);
    }
  }
}

function checkMaxFailures(value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`maxFailures must be a whole number of 0 or more, not ${value}`);
  return value;
}
