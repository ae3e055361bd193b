/**
 * Sessions of the headless panel: a random id in an HttpOnly, SameSite=Strict cookie, handed out only in
 * exchange for a single-use panel link (panel-links.ts). Each session carries its own login.
 * A session ends after an idle time and, however busy, after an absolute lifetime, so a cookie copied
 * off a machine stops working by itself. The table is bounded; making room never ends a logged-in
 * session for an anonymous one, so a flood of exchanges cannot log the owner out.
 */
import { randomBytes } from 'node:crypto';
import type { PanelSession } from '../registry/handler-registry.js';

export const SESSION_LIMITS = {
  idleMs: 2 * 60 * 60 * 1000,
  absoluteMs: 12 * 60 * 60 * 1000,
  sessions: 200,
} as const;

interface Entry {
  session: PanelSession;
  createdAt: number;
  lastSeen: number;
}

export class PanelSessions {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits: { idleMs: number; absoluteMs: number; sessions: number } = SESSION_LIMITS,
  ) {}

  /** Room for one more session: expired ones go, then the oldest anonymous one. False when every session is logged in. */
  makeRoom(): boolean {
    this.prune();
    if (this.entries.size < this.limits.sessions) return true;
    for (const [id, entry] of this.entries) {
      if (entry.session.userName === null) {
        this.entries.delete(id);
        return true;
      }
    }
    return false;
  }

  /** A new anonymous session; call makeRoom() first. */
  create(): string {
    const id = randomBytes(32).toString('base64url');
    const at = this.now();
    this.entries.set(id, { session: { userName: null }, createdAt: at, lastSeen: at });
    return id;
  }

  get(id: string | undefined): PanelSession | null {
    if (!id) return null;
    const entry = this.entries.get(id);
    if (!entry) return null;
    if (this.expired(entry, this.now())) {
      this.entries.delete(id);
      return null;
    }
    entry.lastSeen = this.now();
    return entry.session;
  }

  get size(): number {
    return this.entries.size;
  }

  private expired(entry: Entry, at: number): boolean {
    return at - entry.lastSeen > this.limits.idleMs || at - entry.createdAt > this.limits.absoluteMs;
  }

  private prune(): void {
    const at = this.now();
    for (const [id, entry] of this.entries) if (this.expired(entry, at)) this.entries.delete(id);
  }
}
