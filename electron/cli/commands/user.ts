/** `campanel user add|list|remove|reset-password|unlock`. */
import { z } from 'zod';
import { describeLock, passwordSchema, userNameSchema } from '../../../shared/domain.js';
import { isRunningInstance } from '../../control/running-instance.js';
import { DomainError } from '../../core/errors.js';
import { CLI_ACTOR } from '../../operations/actor.js';
import { addUser, createFirstAdmin, listUsers, removeUser, resetPassword, unlockUser } from '../../operations/users.js';
import { command, noArgs } from './command.js';

const byName = z.strictObject({ name: userNameSchema });

/** Local time of day (the date too when it is not today), as someone at the Pi reads it. */
function localTime(iso: string): string {
  const at = new Date(iso);
  const time = at.toTimeString().slice(0, 8);
  return at.toDateString() === new Date().toDateString() ? time : `${at.toDateString()} ${time}`;
}

export const userCommands = {
  // One command for both cases: on an empty data directory it creates the first administrator.
  'user.add': command(
    z.strictObject({ name: userNameSchema, admin: z.boolean(), password: passwordSchema }),
    async (core, { name, admin, password }) => {
      if (!core.users.hasUsers()) {
        if (!admin) throw new DomainError('invalid', 'The first user must be an administrator: add --admin');
        await createFirstAdmin(core, { name, password }, CLI_ACTOR);
        return `Administrator ${name} created.\n`;
      }
      await addUser(core, { name, role: admin ? 'admin' : 'user', password }, CLI_ACTOR);
      return `User ${name} added; they must set their own password at first login.\n`;
    },
  ),

  'user.list': command(noArgs, async (core) => {
    const rows = listUsers(core);
    if (rows.length === 0) return 'No users yet. Add the first administrator with: campanel user add NAME --admin\n';
    const width = Math.max(4, ...rows.map((row) => row.name.length));
    const lines = rows.map((row) => {
      const locked = row.locks?.map((lock) => describeLock(lock, localTime)).join('; ') ?? 'no';
      return `${row.name.padEnd(width)}  ${row.role.padEnd(5)}  ${(row.initial ? 'yes' : 'no').padEnd(7)}  ${locked}`;
    });
    return `${'NAME'.padEnd(width)}  ROLE   INITIAL  LOCKED\n${lines.join('\n')}\n`;
  }),

  // The command line acts as nobody in particular: any user may go except the last administrator.
  'user.remove': command(byName, async (core, { name }) => {
    await removeUser(core, { name }, CLI_ACTOR);
    return `User ${name} removed; their tokens no longer work.\n`;
  }),

  'user.resetPassword': command(z.strictObject({ name: userNameSchema, password: passwordSchema }), async (core, { name, password }) => {
    await resetPassword(core, { name, password }, CLI_ACTOR);
    return `Password of ${name} reset; they must set their own password at next login. Their login tokens no longer work.\n`;
  }),

  // Locks live in the running instance's memory: through its control socket this clears them there.
  'user.unlock': command(byName, async (core, { name }) => {
    const { wasLocked } = await unlockUser(core, { name }, CLI_ACTOR);
    if (wasLocked) return `${name} unlocked: they can log in again.\n`;
    if (!isRunningInstance(core)) return `${name} is not locked: CamPanel is not running here, and locks end with it.\n`;
    return `${name} was not locked.\n`;
  }),
} as const;
