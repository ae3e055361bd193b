/**
 * Limits password guessing (architecture: "login attempts limited"). Failures are counted per user name
 * (lower-cased) and per client address independently; either one being locked refuses the attempt.
 * The limiter never looks users up, so an unknown name is counted and locked exactly like a real one and
 * the answers cannot reveal which names exist.
 *
 * Policy: the first `maxFailures` consecutive failures are free; each further failure locks the key for
 * baseDelay · 2^(n−1), capped at maxDelay. A success clears both counters.
 */

export interface LoginLimiterOptions {
  maxFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Most keys (user names + addresses) remembered; beyond it the stalest unlocked ones are forgotten. */
  maxEntries?: number;
  /** A key untouched this long, and not locked, is forgotten (its counter starts again). */
  forgetAfterMs?: number;
  now?: () => number;
}

export type LoginCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

export type LoginAttempt<T> =
  | { outcome: 'ok'; value: T }
  | { outcome: 'wrong' }
  | { outcome: 'limited'; retryAfterMs: number };

interface FailureEntry {
  failures: number;
  lockedUntil: number;
  lastFailureAt: number;
}

export class LoginLimiter {
  readonly #maxFailures: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxEntries: number;
  readonly #forgetAfterMs: number;
  readonly #now: () => number;
  /** Insertion order = order of last failure, so the first entries are the stalest. */
  readonly #entries = new Map<string, FailureEntry>();

  constructor(options: LoginLimiterOptions = {}) {
    this.#maxFailures = options.maxFailures ?? 5;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#forgetAfterMs = options.forgetAfterMs ?? 24 * 60 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  check(user: string, address: string): LoginCheck {
    const now = this.#now();
    const wait = Math.max(this.#lockRemaining(userKey(user), now), this.#lockRemaining(addressKey(address), now));
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }

  fail(user: string, address: string): void {
    const now = this.#now();
    this.#recordFailure(userKey(user), now);
    this.#recordFailure(addressKey(address), now);
    this.#evict(now);
  }

  succeed(user: string, address: string): void {
    this.#entries.delete(userKey(user));
    this.#entries.delete(addressKey(address));
  }

  /**
   * One login attempt, for every way in (panel and /api/login). The attempt counts as a failure
   * *before* the slow password check, so parallel guesses cannot all pass check() before any failure
   * is recorded; a success clears the counters again.
   */
  async attempt<T>(user: string, address: string, verify: () => Promise<T | null>): Promise<LoginAttempt<T>> {
    const gate = this.check(user, address);
    if (!gate.allowed) return { outcome: 'limited', retryAfterMs: gate.retryAfterMs };
    this.fail(user, address);
    const value = await verify();
    if (value === null) return { outcome: 'wrong' };
    this.succeed(user, address);
    return { outcome: 'ok', value };
  }

  isLocked(user: string): boolean {
    return this.#lockRemaining(userKey(user), this.#now()) > 0;
  }

  /** Number of remembered keys (for tests of the memory bound). */
  get size(): number {
    return this.#entries.size;
  }

  #lockRemaining(key: string, now: number): number {
    const entry = this.#entries.get(key);
    return entry ? Math.max(0, entry.lockedUntil - now) : 0;
  }

  #recordFailure(key: string, now: number): void {
    const previous = this.#entries.get(key);
    const entry: FailureEntry =
      previous && !this.#isStale(previous, now) ? previous : { failures: 0, lockedUntil: 0, lastFailureAt: now };
    entry.failures += 1;
    entry.lastFailureAt = now;
    const beyond = entry.failures - this.#maxFailures;
    if (beyond > 0) {
      // 2^(beyond-1) overflows to Infinity for huge counts; min() keeps the cap either way.
      entry.lockedUntil = now + Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (beyond - 1));
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
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

// Separate namespaces: a user called "127.0.0.1" must not share a counter with that address.
const userKey = (user: string): string => `u:${user.toLowerCase()}`;
const addressKey = (address: string): string => `a:${address}`;
