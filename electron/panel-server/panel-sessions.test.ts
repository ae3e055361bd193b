import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelSessions } from './panel-sessions.js';
import { SESSION_FILE_NAME, SessionFile } from './session-file.js';

const HOUR = 60 * 60 * 1000;

function table(limits = { idleMs: 2 * HOUR, absoluteMs: 12 * HOUR, sessions: 5 }) {
  const clock = { at: 0 };
  return { clock, sessions: new PanelSessions(() => clock.at, limits) };
}

describe('panel sessions', () => {
  it('end after the idle time', () => {
    const { clock, sessions } = table();
    const id = sessions.create();
    clock.at = 2 * HOUR;
    expect(sessions.get(id)).not.toBeNull();
    clock.at = 4 * HOUR + 1;
    expect(sessions.get(id)).toBeNull();
  });

  it('end after the absolute lifetime however busy they are', () => {
    const { clock, sessions } = table();
    const id = sessions.create();
    for (clock.at = 0; clock.at <= 12 * HOUR; clock.at += HOUR) expect(sessions.get(id)).not.toBeNull();
    clock.at = 12 * HOUR + 1;
    expect(sessions.get(id)).toBeNull();
  });

  it('make room by ending the oldest anonymous session, never a logged-in one', () => {
    const { sessions } = table();
    const ids = Array.from({ length: 5 }, () => sessions.create());
    const loggedIn = sessions.get(ids[0]);
    if (!loggedIn) throw new Error('session missing');
    loggedIn.userName = 'admin';
    for (let round = 0; round < 20; round++) {
      expect(sessions.makeRoom()).toBe(true);
      sessions.create();
    }
    expect(sessions.size).toBe(5);
    expect(sessions.get(ids[0])?.userName).toBe('admin');
    expect(sessions.get(ids[1])).toBeNull(); // the oldest anonymous one went first
  });

  it('refuse a new session when every session is logged in', () => {
    const { sessions } = table();
    for (let count = 0; count < 5; count++) {
      const session = sessions.get(sessions.create());
      if (session) session.userName = `user${count}`;
    }
    expect(sessions.makeRoom()).toBe(false);
    expect(sessions.size).toBe(5);
  });
});

describe('panel sessions across a restart', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'campanel-sessions-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const warnings: object[] = [];
  const fileIn = (path: string) => new SessionFile(path, { warn: (object) => warnings.push(object) });
  const limits = { idleMs: 2 * HOUR, absoluteMs: 12 * HOUR, sessions: 5, persistSeenMs: 30_000 };

  async function restarted(path: string, clock: { at: number }) {
    return PanelSessions.open(fileIn(path), () => clock.at, limits);
  }

  it('keep a logged-in session, stored as a hash only, in a 0600 file', async () => {
    const path = join(dir, SESSION_FILE_NAME);
    const clock = { at: 1_000 };
    const before = await restarted(path, clock);
    const id = before.create();
    const session = before.get(id);
    if (!session) throw new Error('session missing');
    session.userName = 'ada';
    before.noteLogin(session);
    await before.flush();
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(id);
    expect(text).toContain(createHash('sha256').update(id).digest('hex'));
    expect(text).toContain('"ada"');
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    clock.at += HOUR;
    const after = await restarted(path, clock);
    expect(after.get(id)?.userName).toBe('ada');
    expect(after.get('another-id')).toBeNull();
  });

  it('drop sessions past the idle or the absolute limit when they are read back', async () => {
    const path = join(dir, SESSION_FILE_NAME);
    const clock = { at: 0 };
    const table = await restarted(path, clock);
    const idle = table.create();
    clock.at = 3 * HOUR;
    const busy = table.create();
    for (; clock.at <= 12 * HOUR; clock.at += HOUR) table.get(busy);
    await table.flush();
    clock.at = 12 * HOUR + 30 * 60 * 1000; // 9.5 h after busy was created, seen 30 min ago
    const after = await restarted(path, clock);
    expect(after.get(idle)).toBeNull();
    expect(after.get(busy)).not.toBeNull();
    for (; clock.at <= 15 * HOUR; clock.at += HOUR / 2) expect(after.get(busy)).not.toBeNull();
    await after.flush();
    clock.at = 15 * HOUR + 1; // seen half an hour ago, but created 12 h ago
    expect((await restarted(path, clock)).get(busy)).toBeNull();
  });

  it('write the last-seen time at most every 30 s', async () => {
    const path = join(dir, SESSION_FILE_NAME);
    const clock = { at: 0 };
    const table = await restarted(path, clock);
    const id = table.create();
    await table.flush();
    const seen = async () => JSON.parse(await readFile(path, 'utf8')).sessions[0].lastSeen as number;
    clock.at = 10_000;
    table.get(id);
    await table.flush();
    expect(await seen()).toBe(0);
    clock.at = 31_000;
    table.get(id);
    await table.flush();
    expect(await seen()).toBe(31_000);
  });

  it('ignore a corrupt file with a warning', async () => {
    const path = join(dir, SESSION_FILE_NAME);
    for (const text of ['{not json', '{"version":1,"sessions":[{"hash":"x"}]}', '[]']) {
      await writeFile(path, text);
      warnings.length = 0;
      const table = await restarted(path, { at: 0 });
      expect(table.size).toBe(0);
      expect(warnings).toHaveLength(1);
    }
  });
});
