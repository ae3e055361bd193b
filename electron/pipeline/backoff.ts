/** How long the supervisor waits before the next try after failures in a row. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000 };

/**
 * Delay before the retry that follows `failures` failures in a row (1 = the first retry):
 * initialMs · 2^(failures − 1), capped at maxMs so a worker broken for hours is still retried
 * every few seconds rather than every few hours.
 */
export function backoffDelay(failures: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, failures - 1);
  // 2^exponent overflows to Infinity long before it matters; min() caps it either way.
  return Math.min(options.maxMs, options.initialMs * 2 ** exponent);
}
