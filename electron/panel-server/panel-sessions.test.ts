import { describe, expect, it } from 'vitest';
import { PanelSessions } from './panel-sessions.js';

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
