/**
 * Limits wrong or used panel links per client address: after `failures` refusals within `windowMs`, that
 * address is answered 429 until the window ends, without looking at what it sends. The tokens cannot be
 * guessed; this keeps a flood cheap to answer and visible in the log (one line per blocked window).
 */
export const EXCHANGE_LIMITS = {
  failures: 10,
  windowMs: 60_000,
  /** Addresses tracked at once (the panel listens on loopback, so there are few). */
  addresses: 1000,
} as const;

interface Window {
  startedAt: number;
  count: number;
}

export class ExchangeLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits: { failures: number; windowMs: number; addresses: number } = EXCHANGE_LIMITS,
  ) {}

  /** Milliseconds until `address` may try again; 0 when it may now. */
  retryAfterMs(address: string): number {
    const window = this.current(address);
    if (!window || window.count < this.limits.failures) return 0;
    return window.startedAt + this.limits.windowMs - this.now();
  }

  /** Counts a refused link; true when this refusal is the one that blocks the address (log it once). */
  recordFailure(address: string): boolean {
    let window = this.current(address);
    if (!window) {
      this.makeRoom();
      window = { startedAt: this.now(), count: 0 };
      this.windows.set(address, window);
    }
    window.count += 1;
    return window.count === this.limits.failures;
  }

  private current(address: string): Window | null {
    const window = this.windows.get(address);
    if (!window) return null;
    if (this.now() - window.startedAt >= this.limits.windowMs) {
      this.windows.delete(address);
      return null;
    }
    return window;
  }

  private makeRoom(): void {
    if (this.windows.size < this.limits.addresses) return;
    for (const address of [...this.windows.keys()]) this.current(address);
    const oldest = this.windows.keys().next();
    if (this.windows.size >= this.limits.addresses && !oldest.done) this.windows.delete(oldest.value);
  }
}
