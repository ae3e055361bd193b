/**
 * Panel links: the `?token=…` in a Panel URL. Each token opens the panel once (the first successful
 * exchange consumes it), so a URL read later from the journal or a terminal's scrollback is worthless.
 * `campanel serve` prints one at start that waits until it is used; `campanel panel-url` asks the running
 * instance for a fresh one, which also lapses after a while if nobody opens it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const LINK_LIMITS = {
  /** Unused links kept at once; issuing one more drops the oldest. */
  outstanding: 16,
  /** How long a link from `campanel panel-url` waits to be opened. */
  freshLifetimeMs: 15 * 60 * 1000,
} as const;

export interface PanelLink {
  readonly token: string;
  readonly expiresAt: number | null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class PanelLinks {
  private links: PanelLink[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** A new single-use token; `lifetimeMs` null: valid until used. */
  issue(lifetimeMs: number | null): string {
    const token = randomBytes(24).toString('base64url');
    this.links.push({ token, expiresAt: lifetimeMs === null ? null : this.now() + lifetimeMs });
    if (this.links.length > LINK_LIMITS.outstanding) this.links.shift();
    return token;
  }

  /** The unused, unexpired link with this token, or null. Compared in constant time against each one. */
  match(given: string): PanelLink | null {
    const at = this.now();
    this.links = this.links.filter((link) => link.expiresAt === null || link.expiresAt > at);
    let found: PanelLink | null = null;
    for (const link of this.links) if (sameSecret(given, link.token)) found = link;
    return found;
  }

  /** Uses the link up: it never opens the panel again. */
  consume(link: PanelLink): void {
    this.links = this.links.filter((candidate) => candidate !== link);
  }
}
