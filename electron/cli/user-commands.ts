import { Command } from 'commander';
import { dataDirOption } from './options.js';
import { withCore } from './open-core.js';
import { readNewPassword } from './read-password.js';

export function userCommands(): Command {
  const user = new Command('user').description('manage panel users');

  user
    .command('add')
    .description('add a user; the password is read from standard input')
    .argument('<name>', 'user name')
    .option('--admin', 'give the administrator role')
    .addOption(dataDirOption())
    .action(async (name: string, options: { admin?: boolean; dataDir?: string }) => {
      const password = await readNewPassword();
      await withCore(options, async (core) => {
        if (!core.users.hasUsers()) {
          if (!options.admin) throw new Error('The first user must be an administrator: add --admin');
          await core.users.createFirstAdmin(name, password);
          process.stdout.write(`Administrator ${name} created.\n`);
          return;
        }
        await core.users.add(name, options.admin ? 'admin' : 'user', password);
        process.stdout.write(`User ${name} added; they must set their own password at first login.\n`);
      });
    });

  user
    .command('list')
    .description('list users')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      await withCore(options, async (core) => {
        const rows = core.users.list();
        if (rows.length === 0) {
          process.stdout.write('No users yet. Add the first administrator with: campanel user add NAME --admin\n');
          return;
        }
        const width = Math.max(4, ...rows.map((row) => row.name.length));
        process.stdout.write(`${'NAME'.padEnd(width)}  ROLE   INITIAL\n`);
        for (const row of rows) {
          process.stdout.write(`${row.name.padEnd(width)}  ${row.role.padEnd(5)}  ${row.initial ? 'yes' : 'no'}\n`);
        }
      });
    });
  return user;
}
