/**
 * Failed network logins (POST /api/login, HTTP Basic on the stream URLs) in the log, for the operator: the
 * name as sent, the client address and the reason, never the password. Anyone on the network can cause
 * failures at will, so the lines are budgeted per minute: a few per client and a few in all, then one
 * summary line at the end of the minute saying how many were left out and from where (docs/compatibility.md
 * §2.1). Logs are rotated by size, so an unbudgeted flood would push every useful line out of them.
 */
import { limitedClient } from './client-address.js';

export type LoginFailureReason =
  | 'unknown user'
  | 'wrong password'
  | 'too many failures'
  | 'password change required'
  | 'name or password too long'
  | 'malformed credentials';

export interface LoginFailure {
  /** The name as the client sent it. */
  user: string;
  address: string;
  reason: LoginFailureReason;
  via: 'api-login' | 'stream-basic';
}

/** Where the lines go (a pino logger). */
export interface WarnLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export const FAILURE_LOG_LIMITS = { perClientPerMinute: 5, perMinute: 20 } as const;

export interface LoginFailureLogOptions {
  perClientPerMinute?: number;
  perMinute?: number;
  windowMs?: number;
  now?: () => number;
}

/** Clients whose left-out failures are counted one by one in a window; the rest are summed. */
const MAX_TRACKED_CLIENTS = 1000;
/** Clients named in the summary line. */
const SUMMARY_TOP = 5;
/** The longest name written; longer ones are cut (they are refused with 400 anyway). */
const MAX_LOGGED_NAME = 80;

export class LoginFailureLog {
  readonly #logger: WarnLog;
  readonly #perClient: number;
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #written = 0;
  readonly #writtenByClient = new Map<string, number>();
  #leftOut = 0;
  readonly #leftOutByClient = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;

  constructor(logger: WarnLog, options: LoginFailureLogOptions = {}) {
    this.#logger = logger;
    this.#perClient = options.perClientPerMinute ?? FAILURE_LOG_LIMITS.perClientPerMinute;
    this.#perWindow = options.perMinute ?? FAILURE_LOG_LIMITS.perMinute;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  record(failure: LoginFailure): void {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.flush();
      this.#windowStart = now;
    }
    const client = limitedClient(failure.address);
    const byClient = this.#writtenByClient.get(client) ?? 0;
    if (byClient < this.#perClient && this.#written < this.#perWindow) {
      this.#written += 1;
      this.#writtenByClient.set(client, byClient + 1);
      const user = failure.user.length > MAX_LOGGED_NAME ? `${failure.user.slice(0, MAX_LOGGED_NAME)}…` : failure.user;
      this.#logger.warn({ op: 'api.login', user, address: failure.address, reason: failure.reason, via: failure.via }, 'network login failed');
      return;
    }
    this.#leftOut += 1;
    if (this.#leftOutByClient.has(client) || this.#leftOutByClient.size < MAX_TRACKED_CLIENTS) {
      this.#leftOutByClient.set(client, (this.#leftOutByClient.get(client) ?? 0) + 1);
    }
    if (!this.#timer) {
      this.#timer = setTimeout(() => this.flush(), Math.max(0, this.#windowStart + this.#windowMs - now));
      // The summary must not keep the process alive; at worst the last minute's summary is not written.
      this.#timer.unref();
    }
  }

  /** Ends the current window: writes the summary line if failures were left out. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#leftOut > 0) {
      const top = [...this.#leftOutByClient]
        .sort((a, b) => b[1] - a[1])
        .slice(0, SUMMARY_TOP)
        .map(([client, failures]) => ({ client, failures }));
      // `clients` stops counting at MAX_TRACKED_CLIENTS; `leftOut` counts every failure.
      this.#logger.warn(
        { op: 'api.login', leftOut: this.#leftOut, clients: this.#leftOutByClient.size, top, windowSeconds: this.#windowMs / 1000 },
        'network login failures not logged one by one',
      );
    }
    this.#written = 0;
    this.#writtenByClient.clear();
    this.#leftOut = 0;
    this.#leftOutByClient.clear();
    this.#windowStart = Number.NEGATIVE_INFINITY;
  }
}
