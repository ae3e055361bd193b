/** `campanel user add|list`. */
import { z } from 'zod';
import { passwordSchema, userNameSchema } from '../../../shared/domain.js';
import { DomainError } from '../../core/errors.js';
import { CLI_ACTOR } from '../../operations/actor.js';
import { addUser, createFirstAdmin, listUsers } from '../../operations/users.js';
import { command, noArgs } from './command.js';

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
    const lines = rows.map(
      (row) => `${row.name.padEnd(width)}  ${row.role.padEnd(5)}  ${(row.initial ? 'yes' : 'no').padEnd(7)}  ${row.locked ? 'yes' : 'no'}`,
    );
    return `${'NAME'.padEnd(width)}  ROLE   INITIAL  LOCKED\n${lines.join('\n')}\n`;
  }),
} as const;
