import { describe, expect, it } from 'vitest';
import { addedMessage, adminCount, lockLines, removeBlockedReason, sortedUsers, unlockedMessage, yesNo } from './selectors';

const u = (name: string, role: 'admin' | 'user' = 'user') => ({ name, role, initial: false, locked: false });

describe('users selectors', () => {
  it('sorts admins first, then by name', () => {
    expect(sortedUsers([u('zed'), u('bob', 'admin'), u('amy'), u('ann', 'admin')]).map((x) => x.name)).toEqual([
      'ann',
      'bob',
      'amy',
      'zed',
    ]);
  });

  it('blocks removing yourself and the last admin', () => {
    const users = [u('ann', 'admin'), u('bob')];
    expect(removeBlockedReason(users[0]!, 'ann', users)).toBe('You cannot remove yourself');
    expect(removeBlockedReason(users[0]!, 'carl', users)).toBe('The last administrator cannot be removed');
    expect(removeBlockedReason(users[1]!, 'ann', users)).toBeNull();
    expect(adminCount(users)).toBe(1);
  });

  it('says Yes/No and what happened', () => {
    expect(yesNo(true)).toBe('Yes');
    expect(yesNo(false)).toBe('No');
    expect(addedMessage('bob')).toBe('User bob added. They must set their own password at first login.');
  });
});

describe('lockLines: which lock holds a user, in words', () => {
  const time = (iso: string) => iso.slice(11, 16);
  it('says No when nothing holds the user', () => {
    expect(lockLines(u('bob'), time)).toEqual(['No']);
  });

  it('names the panel lock, the API clients and the per-user ceiling, each with its end', () => {
    const locked = {
      ...u('bob'),
      locked: true,
      locks: [
        { kind: 'panel' as const, until: '2026-11-26T10:15:00.000Z' },
        { kind: 'api' as const, clients: ['192.0.2.7', '2001:db8:1:2::/64'], clientCount: 4, until: '2026-11-26T10:30:00.000Z' },
        { kind: 'apiCeiling' as const, until: '2026-11-26T11:00:00.000Z' },
      ],
    };
    expect(lockLines(locked, time)).toEqual([
      'Panel login locked until 10:15',
      'API logins from 192.0.2.7, 2001:db8:1:2::/64 and 2 more clients locked until 10:30',
      'API logins from new clients locked until 11:00 (failures from many addresses)',
    ]);
    expect(lockLines({ ...u('bob'), locked: true, locks: [{ kind: 'api', clients: ['192.0.2.7'], clientCount: 2, until: 'T10:30' }] }, () => '10:30')).toEqual([
      'API logins from 192.0.2.7 and 1 more client locked until 10:30',
    ]);
    expect(unlockedMessage('bob')).toBe('bob can log in again.');
  });
});
