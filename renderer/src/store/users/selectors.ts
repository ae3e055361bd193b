import type { UserView } from '../../../../shared/domain';

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
