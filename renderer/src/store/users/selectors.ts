import { describeLock, type UserView } from '../../../../shared/domain';

export const yesNo = (value: boolean): 'Yes' | 'No' => (value ? 'Yes' : 'No');

/** Admins first, then by name: the table reads the same on every refresh. */
export function sortedUsers(users: readonly UserView[]): UserView[] {
  return [...users].sort((a, b) => {
    if (a.role !== b.role) return a.role === 'admin' ? -1 : 1;
    return a.name.localeCompare(b.name);
  });
}

export const adminCount = (users: readonly UserView[]): number => users.filter((u) => u.role === 'admin').length;

/** Why "Remove" is disabled for a row, or null when it is allowed. The server checks again. */
export function removeBlockedReason(user: UserView, me: string | null, users: readonly UserView[]): string | null {
  if (user.name === me) return 'You cannot remove yourself';
  if (user.role === 'admin' && adminCount(users) <= 1) return 'The last administrator cannot be removed';
  return null;
}

export const addedMessage = (name: string): string =>
  `User ${name} added. They must set their own password at first login.`;

export const resetMessage = (name: string): string =>
  `Password of ${name} reset. They must set their own password at next login.`;

export const removedMessage = (name: string): string => `User ${name} removed.`;

export const unlockedMessage = (name: string): string => `${name} can log in again.`;

/** Hours and minutes of the end of a lock, in the reader's time zone (a lock lasts at most 15 min or an hour). */
export const lockEndTime = (iso: string): string =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** What the Locked column says: "No", or each lock in words (which login, from where, until when). */
export function lockLines(user: UserView, time: (iso: string) => string = lockEndTime): string[] {
  if (!user.locked) return ['No'];
  const lines = (user.locks ?? []).map((lock) => describeLock(lock, time));
  return lines.length > 0 ? lines : ['Yes'];
}
