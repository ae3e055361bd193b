/** `campanel user …` as typed: arguments, options and help; what each command does is in commands/user.ts. */
import { Command } from 'commander';
import { dataDirOption, print } from '../options.js';
import { readNewPassword } from '../read-password.js';
import { runCommand } from '../run-command.js';

export function userGrammar(): Command {
  const user = new Command('user').description('manage panel users');

  user
    .command('add')
    .description('add a user; the password is read from standard input (never from the command line)')
    .argument('<name>', 'user name')
    .option('--admin', 'give the administrator role')
    .addOption(dataDirOption())
    .action(async (name: string, options: { admin?: boolean; dataDir?: string }) => {
      const password = await readNewPassword();
      print(await runCommand(options, 'user.add', { name, admin: options.admin === true, password }));
    });

  user
    .command('list')
    .description('list users')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => print(await runCommand(options, 'user.list', {})));
  return user;
}
