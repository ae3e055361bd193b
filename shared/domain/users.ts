import { z } from 'zod';
import { LIMITS } from './limits.js';

export const userNameSchema = z
  .string()
  .min(1, 'Name is required')
  .max(LIMITS.userName, `Name is at most ${LIMITS.userName} characters`)
  .regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, dot, dash or underscore');

export const passwordSchema = z
  .string()
  .min(8, 'Password must be at least 8 characters')
  .max(LIMITS.password, `Password is at most ${LIMITS.password} characters`);

/** A password typed at login: checked for length only, so a wrong one is just "wrong". */
export const loginPasswordSchema = z.string().min(1).max(LIMITS.password);

export const roleSchema = z.enum(['admin', 'user']);
export type Role = z.infer<typeof roleSchema>;

/**
 * A login limit that currently refuses this user. The panel's and the network API's limits are separate:
 * failures on the API never lock the panel login (docs/compatibility.md §2.1).
 * panel: the panel login; api: API and stream logins from `clientCount` clients (an IPv4 address or an IPv6
 * /64), the first few named in `clients`; apiCeiling: API and stream logins from clients that have not
 * logged in as this user recently.
 */
export const LOCK_CLIENTS_NAMED = 5;
export const userLockSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('panel'), until: z.iso.datetime() }),
  z.strictObject({
    kind: z.literal('api'),
    clients: z.array(z.string().max(64)).max(LOCK_CLIENTS_NAMED),
    clientCount: z.int().nonnegative(),
    until: z.iso.datetime(),
  }),
  z.strictObject({ kind: z.literal('apiCeiling'), until: z.iso.datetime() }),
]);
export type UserLock = z.infer<typeof userLockSchema>;

export const userViewSchema = z.strictObject({
  name: z.string(),
  role: roleSchema,
  initial: z.boolean(),
  /** Some login limit refuses this user now (`locks` says which). */
  locked: z.boolean(),
  /** Present when locked. */
  locks: z.array(userLockSchema).optional(),
});
export type UserView = z.infer<typeof userViewSchema>;

/** A lock in words, for the Users tab and `campanel user list`; `time` formats the end for the reader. */
export function describeLock(lock: UserLock, time: (iso: string) => string): string {
  const until = time(lock.until);
  switch (lock.kind) {
    case 'panel':
      return `Panel login locked until ${until}`;
    case 'api': {
      const others = lock.clientCount - lock.clients.length;
      const more = others <= 0 ? '' : ` and ${others} more ${others === 1 ? 'client' : 'clients'}`;
      return `API logins from ${lock.clients.join(', ')}${more} locked until ${until}`;
    }
    case 'apiCeiling':
      return `API logins from new clients locked until ${until} (failures from many addresses)`;
  }
}

/** What the panel shows: which screen, and who is logged in. */
export const sessionStateSchema = z.strictObject({
  phase: z.enum(['firstRun', 'login', 'changePassword', 'ready']),
  user: userViewSchema.nullable(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;
