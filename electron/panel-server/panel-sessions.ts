/**
 * Sessions of the headless panel: a random id in an HttpOnly, SameSite=Strict cookie, handed out
 * only in exchange for the token printed at start. Each session carries its own login.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { PanelSession } from '../registry/handler-registry.js';

const IDLE_LIMIT_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 200;

interface Entry {
  session: PanelSession;
  lastSeen: number;
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class PanelSessions {
  /** The capability printed in the Panel URL. */
  readonly startToken = randomBytes(24).toString('base64url');
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Exchange the printed token for a new session id; null when the token is wrong. */
  exchange(token: string): string | null {
    if (!sameSecret(token, this.startToken)) return null;
    this.prune();
    if (this.entries.size >= MAX_SESSIONS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    this.entries.set(id, { session: { userName: null }, lastSeen: this.now() });
    return id;
  }

  get(id: string | undefined): PanelSession | null {
    if (!id) return null;
    const entry = this.entries.get(id);
    if (!entry) return null;
    if (this.now() - entry.lastSeen > IDLE_LIMIT_MS) {
      this.entries.delete(id);
      return null;
    }
    entry.lastSeen = this.now();
    return entry.session;
  }

  private prune(): void {
    const cutoff = this.now() - IDLE_LIMIT_MS;
    for (const [id, entry] of this.entries) if (entry.lastSeen < cutoff) this.entries.delete(id);
  }
}
