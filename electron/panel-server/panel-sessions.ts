/**
 * Sessions of the headless panel: a random id in an HttpOnly, SameSite=Strict cookie, handed out only in
 * exchange for a single-use panel link (panel-links.ts). Each session carries its own login.
 * A session ends after an idle time and, however busy, after an absolute lifetime, so a cookie copied
 * off a machine stops working by itself. The table is bounded; making room never ends a logged-in
 * session for an anonymous one, so a flood of exchanges cannot log the owner out.
 *
 * Sessions survive a restart of `campanel serve` (session-file.ts): only the SHA-256 of each id is kept,
 * in memory as on disk, so neither holds a cookie that would let anyone in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PanelSession } from '../registry/handler-registry.js';
import type { SessionFile, StoredSession } from './session-file.js';

export const SESSION_LIMITS = {
  idleMs: 2 * 60 * 60 * 1000,
  absoluteMs: 12 * 60 * 60 * 1000,
  sessions: 200,
  /** A session's last-seen time reaches the file at most this often (it only decides the idle limit). */
  persistSeenMs: 30_000,
} as const;

export type SessionLimits = { idleMs: number; absoluteMs: number; sessions: number; persistSeenMs?: number };

interface Entry {
  session: PanelSession;
  createdAt: number;
  lastSeen: number;
  /** The last-seen time the file holds. */
  savedSeen: number;
  /** The user name the file holds. */
  savedUser: string | null;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

export class PanelSessions {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits: SessionLimits = SESSION_LIMITS,
    private readonly file: SessionFile | null = null,
  ) {}

  /** A table holding the stored sessions that are still within their limits. */
  static async open(file: SessionFile, now: () => number = Date.now, limits: SessionLimits = SESSION_LIMITS): Promise<PanelSessions> {
    const sessions = new PanelSessions(now, limits, file);
    const stored = await file.load();
    const newestFirst = [...stored].sort((a, b) => b.lastSeen - a.lastSeen).slice(0, limits.sessions);
    for (const each of newestFirst) {
      const entry: Entry = { session: { userName: each.userName }, createdAt: each.createdAt, lastSeen: each.lastSeen, savedSeen: each.lastSeen, savedUser: each.userName };
      if (!sessions.expired(entry, now())) sessions.entries.set(each.hash, entry);
    }
    if (sessions.entries.size !== stored.length) sessions.save();
    return sessions;
  }

  /** Room for one more session: expired ones go, then the oldest anonymous one. False when every session is logged in. */
  makeRoom(): boolean {
    this.prune();
    if (this.entries.size < this.limits.sessions) return true;
    for (const [hash, entry] of this.entries) {
      if (entry.session.userName === null) {
        this.entries.delete(hash);
        this.save();
        return true;
      }
    }
    return false;
  }

  /** A new anonymous session; call makeRoom() first. Returns the id for the cookie (kept nowhere). */
  create(): string {
    const id = randomBytes(32).toString('base64url');
    const at = this.now();
    this.entries.set(hashOf(id), { session: { userName: null }, createdAt: at, lastSeen: at, savedSeen: at, savedUser: null });
    this.save();
    return id;
  }

  get(id: string | undefined): PanelSession | null {
    if (!id) return null;
    const hash = hashOf(id);
    const entry = this.entries.get(hash);
    if (!entry) return null;
    const at = this.now();
    if (this.expired(entry, at)) {
      this.entries.delete(hash);
      this.save();
      return null;
    }
    entry.lastSeen = at;
    if (at - entry.savedSeen >= (this.limits.persistSeenMs ?? SESSION_LIMITS.persistSeenMs)) this.save();
    return entry.session;
  }

  /** Whether `session` is still in the table and within its limits (without counting as activity). */
  isLive(session: PanelSession): boolean {
    const at = this.now();
    for (const entry of this.entries.values()) if (entry.session === session) return !this.expired(entry, at);
    return false;
  }

  /** A session's login changed (login, logout, a removed user): store it now. */
  noteLogin(session: PanelSession): void {
    for (const entry of this.entries.values()) if (entry.session === session && entry.savedUser !== session.userName) return this.save();
  }

  /** Drops expired sessions (a timer calls this, so their end reaches the file without a request). */
  prune(): void {
    const at = this.now();
    let removed = false;
    for (const [hash, entry] of this.entries) {
      if (this.expired(entry, at)) {
        this.entries.delete(hash);
        removed = true;
      }
    }
    if (removed) this.save();
  }

  /** Waits for pending writes of the session file. */
  flush(): Promise<void> {
    return this.file?.flush() ?? Promise.resolve();
  }

  get size(): number {
    return this.entries.size;
  }

  private expired(entry: Entry, at: number): boolean {
    return at - entry.lastSeen > this.limits.idleMs || at - entry.createdAt > this.limits.absoluteMs;
  }

  private save(): void {
    if (!this.file) return;
    const rows: StoredSession[] = [];
    for (const [hash, entry] of this.entries) {
      entry.savedSeen = entry.lastSeen;
      entry.savedUser = entry.session.userName;
      rows.push({ hash, userName: entry.session.userName, createdAt: entry.createdAt, lastSeen: entry.lastSeen });
    }
    this.file.save(rows);
  }
}
