/**
 * Limits password guessing on the network: POST /api/login and HTTP Basic on the stream URLs. The API
 * listens on every interface by default, so whatever one client does here must never lock the owner out:
 * this limiter is separate from the panel's (login-limiter.ts), and the numbers are chosen so that nobody
 * can lock a user's known clients out (docs/compatibility.md §2.1, where the numbers are explained).
 *
 * - (user, client): 5 free failures, then a lock of 1 s · 2ⁿ⁻¹, at most 15 min: guessing one user's password.
 * - client: 20 free failures for any names, same doubling: one client trying many names.
 * - user, across all clients: a ceiling of 600 failures an hour (a bucket that drains at that rate). While
 *   it is full, only clients that have logged in as that user in the last 30 days may try; the others are
 *   refused until it drains. It bounds guessing spread over many addresses.
 * A client is an IPv4 address or an IPv6 /64 (client-address.ts). Like the panel's limiter it never looks
 * users up, so unknown names are counted like real ones.
 *
 * An admin can change the (user, client) rule live through setDefault (configure()): how many failures are
 * free, and whether a successful login resets the count.
 */
import { FailureCounter, type FailureCounterOptions } from './failure-counter.js';
import { limitedClient } from './client-address.js';
import { attemptLogin, type LoginAttempt, type LoginCheck, type LoginGate } from './login-limiter.js';

export const NETWORK_LIMITS = {
  perUserAndClient: { maxFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  perClient: { maxFailures: 20, baseDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  perUserPerHour: 600,
  trustedForMs: 30 * 24 * 60 * 60_000,
} as const;

const HOUR_MS = 60 * 60_000;

export interface NetworkLoginLimiterOptions {
  perUserAndClient?: FailureCounterOptions;
  perClient?: FailureCounterOptions;
  perUserPerHour?: number;
  trustedForMs?: number;
  /** Most user names with a ceiling bucket, and most trusted (user, client) pairs, remembered. */
  maxUsers?: number;
  maxTrusted?: number;
  now?: () => number;
}

/** The (user, client) rule as setDefault's DefaultMaxFailCount and DefaultResetFailCount set it. */
export interface NetworkLoginRule {
  /** Consecutive failures of a (user, client) pair that are free before its lock starts; 0: the first failure locks. */
  maxFailCount: number;
  /** A successful login clears the pair's count; when false the count of earlier failures stays. */
  resetFailCount: boolean;
}

/** What the panel shows about a user's network locks. */
export type NetworkLock =
  | { kind: 'api'; clients: string[]; until: number }
  | { kind: 'apiCeiling'; until: number };

interface Bucket {
  level: number;
  at: number;
}

export class NetworkLoginLimiter implements LoginGate {
  readonly #pairs: FailureCounter;
  readonly #clients: FailureCounter;
  readonly #ceiling: number;
  readonly #drainPerMs: number;
  readonly #trustedForMs: number;
  readonly #maxUsers: number;
  readonly #maxTrusted: number;
  readonly #now: () => number;
  #resetFailCount = true;
  /** Per lower-cased name; insertion order = order of last change. */
  readonly #buckets = new Map<string, Bucket>();
  /** Pair key → time of the last successful login of that user from that client. */
  readonly #trusted = new Map<string, number>();

  constructor(options: NetworkLoginLimiterOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#pairs = new FailureCounter({ ...NETWORK_LIMITS.perUserAndClient, now: this.#now, ...options.perUserAndClient });
    this.#clients = new FailureCounter({ ...NETWORK_LIMITS.perClient, now: this.#now, ...options.perClient });
    this.#ceiling = options.perUserPerHour ?? NETWORK_LIMITS.perUserPerHour;
    this.#drainPerMs = this.#ceiling / HOUR_MS;
    this.#trustedForMs = options.trustedForMs ?? NETWORK_LIMITS.trustedForMs;
    this.#maxUsers = options.maxUsers ?? 10_000;
    this.#maxTrusted = options.maxTrusted ?? 1_000;
  }

  /**
   * Changes the (user, client) rule live. maxFailCount is privacyIDEA's DefaultMaxFailCount: the failure that
   * reaches it locks the pair, so the next attempt is refused (0 and 1 both lock at the first failure; 6 is the
   * built-in rule of 5 free failures). A new value applies from each pair's next failure on; a lock already
   * running ends when it would have.
   */
  configure(rule: NetworkLoginRule): void {
    if (!Number.isInteger(rule.maxFailCount) || rule.maxFailCount < 0) {
      throw new RangeError(`maxFailCount must be a whole number of 0 or more, not ${rule.maxFailCount}`);
    }
    this.#pairs.maxFailures = Math.max(0, rule.maxFailCount - 1);
    this.#resetFailCount = rule.resetFailCount;
  }

  check(user: string, address: string): LoginCheck {
    const now = this.#now();
    const client = limitedClient(address);
    const pair = pairKey(user, client);
    let wait = Math.max(this.#pairs.lockRemaining(pair, now), this.#clients.lockRemaining(client, now));
    if (!this.#isTrusted(pair, now)) wait = Math.max(wait, this.#ceilingWait(user, now));
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }

  fail(user: string, address: string): void {
    const now = this.#now();
    const client = limitedClient(address);
    this.#pairs.fail(pairKey(user, client), now);
    this.#clients.fail(client, now);
    this.#addToBucket(user, 1, now);
  }

  succeed(user: string, address: string): void {
    const now = this.#now();
    const client = limitedClient(address);
    const pair = pairKey(user, client);
    // attemptLogin counted this attempt as a failure before the check: without a reset, only that one is taken back.
    if (this.#resetFailCount) this.#pairs.clear(pair, now);
    else this.#pairs.undoFailure(pair);
    this.#clients.clear(client, now);
    this.#addToBucket(user, -1, now); // attemptLogin counted this attempt as a failure before the check
    this.#trusted.delete(pair);
    this.#trusted.set(pair, now);
    for (const key of this.#trusted.keys()) {
      if (this.#trusted.size <= this.#maxTrusted) break;
      this.#trusted.delete(key);
    }
  }

  attempt<T>(user: string, address: string, verify: () => Promise<T | null>): Promise<LoginAttempt<T>> {
    return attemptLogin(this, user, address, verify);
  }

  /** The locks that concern `user` now: clients whose attempts as this user are refused, and the ceiling. */
  locks(user: string): NetworkLock[] {
    const now = this.#now();
    const prefix = pairPrefix(user);
    const pairs = this.#pairs.find((key) => key.startsWith(prefix));
    let until = 0;
    const clients: string[] = [];
    for (const { key, lockedUntil } of pairs) {
      const client = key.slice(prefix.length);
      // A client locked for trying many names stops this user too, if this user was among them.
      const end = Math.max(lockedUntil, now + this.#clients.lockRemaining(client, now));
      if (end <= now) continue;
      clients.push(client);
      until = Math.max(until, end);
    }
    const found: NetworkLock[] = clients.length > 0 ? [{ kind: 'api', clients, until }] : [];
    const ceilingWait = this.#ceilingWait(user, now);
    if (ceilingWait > 0) found.push({ kind: 'apiCeiling', until: now + ceilingWait });
    return found;
  }

  /**
   * An admin's unlock: the user's (user, client) counters, the counters of the clients the user failed
   * from, and the user's ceiling. True when any of them was locked.
   */
  unlock(user: string): boolean {
    const now = this.#now();
    const wasLocked = this.locks(user).length > 0;
    const prefix = pairPrefix(user);
    for (const { key } of this.#pairs.find((k) => k.startsWith(prefix))) {
      this.#pairs.clear(key, now);
      this.#clients.clear(key.slice(prefix.length), now);
    }
    this.#buckets.delete(user.toLowerCase());
    return wasLocked;
  }

  #isTrusted(pair: string, now: number): boolean {
    const at = this.#trusted.get(pair);
    return at !== undefined && now - at < this.#trustedForMs;
  }

  #level(name: string, now: number): number {
    const bucket = this.#buckets.get(name);
    return bucket ? Math.max(0, bucket.level - (now - bucket.at) * this.#drainPerMs) : 0;
  }

  /** Milliseconds until the user's bucket is below the ceiling again; 0 when it is. */
  #ceilingWait(user: string, now: number): number {
    const level = this.#level(user.toLowerCase(), now);
    return level < this.#ceiling ? 0 : Math.ceil((level - this.#ceiling + 1) / this.#drainPerMs);
  }

  #addToBucket(user: string, change: 1 | -1, now: number): void {
    const name = user.toLowerCase();
    const level = Math.max(0, this.#level(name, now) + change);
    this.#buckets.delete(name);
    if (level === 0) return;
    this.#buckets.set(name, { level, at: now });
    if (this.#buckets.size <= this.#maxUsers) return;
    // Forget the stalest buckets below the ceiling first; a full one is what stops a distributed guess.
    for (const [key] of this.#buckets) {
      if (this.#buckets.size <= this.#maxUsers) return;
      if (this.#level(key, now) < this.#ceiling) this.#buckets.delete(key);
    }
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= this.#maxUsers) return;
      this.#buckets.delete(key);
    }
  }
}

// The name's length first, so that no name and client can be cut into another name and client.
const pairPrefix = (user: string): string => {
  const name = user.toLowerCase();
  return `${name.length}:${name}|`;
};
const pairKey = (user: string, client: string): string => `${pairPrefix(user)}${client}`;
