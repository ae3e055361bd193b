/** `campanel secrets …` as typed: arguments, options and help; what each command does is in commands/secrets.ts. */
import { Command } from 'commander';
import { dataDirOption, print } from '../options.js';
import { readNewPassword, readPassword } from '../read-password.js';
import { runCommand } from '../run-command.js';

export function secretsGrammar(): Command {
  const secrets = new Command('secrets').description(
    "protect the secrets file with a passphrase (through the running instance when one runs); the passphrase is read from standard input, never from the command line",
  );

  secrets
    .command('status')
    .description('say whether the secrets file is protected with a passphrase, and whether it is unlocked')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => print(await runCommand(options, 'secrets.status', {})));

  secrets
    .command('unlock')
    .description('unlock the running CamPanel\'s protected secrets file with its passphrase; the API then starts')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      const passphrase = await readPassword('Passphrase: ');
      print(await runCommand(options, 'secrets.unlock', { passphrase }));
    });

  secrets
    .command('protect')
    .description('encrypt the secrets file with a new passphrase (at least 12 characters); raspiCamSrv cannot read it afterwards')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      const passphrase = await readNewPassword('Passphrase');
      print(await runCommand(options, 'secrets.protect', { passphrase }));
    });

  secrets
    .command('unprotect')
    .description('store the secrets file in clear again; the current passphrase confirms it')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      const passphrase = await readPassword('Passphrase: ');
      print(await runCommand(options, 'secrets.unprotect', { passphrase }));
    });
  return secrets;
}
