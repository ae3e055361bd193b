/** `campanel token …` as typed: arguments, options and help; what each command does is in commands/token.ts. */
import { Command } from 'commander';
import { dataDirOption, print } from '../options.js';
import { runCommand } from '../run-command.js';

export function tokenGrammar(): Command {
  const token = new Command('token').description('non-expiring access tokens for clients that cannot refresh');

  token
    .command('generate')
    .description('mint a non-expiring access token; prints only the token')
    .requiredOption('--user <name>', 'the user the token acts as')
    .option('--label <label>', 'a label to recognise the token by', '')
    .addOption(dataDirOption())
    .action(async ({ dataDir, user, label }: { user: string; label: string; dataDir?: string }) =>
      print(await runCommand({ dataDir }, 'token.generate', { user, label })),
    );

  token
    .command('list')
    .description('list generated tokens (never their value)')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => print(await runCommand(options, 'token.list', {})));

  token
    .command('revoke')
    .description('revoke a generated token by its jti')
    .argument('<jti>', 'the token id shown by "token list"')
    .addOption(dataDirOption())
    .action(async (jti: string, options: { dataDir?: string }) => print(await runCommand(options, 'token.revoke', { jti })));
  return token;
}
