import { describe, expect, it } from 'vitest';
import { addedMessage, adminCount, removeBlockedReason, sortedUsers, yesNo } from './selectors';

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
