/** `campanel user …` as typed: arguments, options and help; what each command does is in commands/user.ts. */
import { Command } from 'commander';
import { dataDirOption, print } from '../options.js';
import { readNewPassword } from '../read-password.js';
import { runCommand } from '../run-command.js';

export function userGrammar(): Command {
  const user = new Command('user').description('manage panel users (through the running instance when one runs)');

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
    .description('list users, with the login locks that refuse them now')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => print(await runCommand(options, 'user.list', {})));

  user
    .command('remove')
    .description('remove a user; their generated and login tokens stop working (the last administrator stays)')
    .argument('<name>', 'user name')
    .addOption(dataDirOption())
    .action(async (name: string, options: { dataDir?: string }) => print(await runCommand(options, 'user.remove', { name })));

  user
    .command('reset-password')
    .description('set a new initial password, read from standard input; the user must replace it at next login')
    .argument('<name>', 'user name')
    .addOption(dataDirOption())
    .action(async (name: string, options: { dataDir?: string }) => {
      const password = await readNewPassword();
      print(await runCommand(options, 'user.resetPassword', { name, password }));
    });

  user
    .command('unlock')
    .description('clear the login locks (panel and API) after too many failed attempts for a user')
    .argument('<name>', 'user name')
    .addOption(dataDirOption())
    .action(async (name: string, options: { dataDir?: string }) => print(await runCommand(options, 'user.unlock', { name })));
  return user;
}
