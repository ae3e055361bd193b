import { Command } from 'commander';
import { DomainError } from '../core/errors.js';
import { withCore } from './open-core.js';
import { dataDirOption } from './options.js';

export function tokenCommands(): Command {
  const token = new Command('token').description('non-expiring access tokens for clients that cannot refresh');

  token
    .command('generate')
    .description('mint a non-expiring access token; prints only the token')
    .requiredOption('--user <name>', 'the user the token acts as')
    .option('--label <label>', 'a label to recognise the token by', '')
    .addOption(dataDirOption())
    .action(async (options: { user: string; label: string; dataDir?: string }) => {
      await withCore(options, async (core) => {
        const user = core.users.get(options.user);
        if (!user) throw new DomainError('not_found', `No user ${options.user}`);
        if (user.initial) throw new DomainError('forbidden', `${options.user} must set their own password first`);
        const { token: value } = await core.api.generateToken(user.name, options.label);
        process.stdout.write(`${value}\n`);
      });
    });

  token
    .command('list')
    .description('list generated tokens (never their value)')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      await withCore(options, async (core) => {
        const rows = core.tokens.list();
        if (rows.length === 0) {
          process.stdout.write('No access tokens have been generated.\n');
          return;
        }
        process.stdout.write('JTI                                   OWNER  CREATED                   LAST USED  LABEL\n');
        for (const row of rows) {
          process.stdout.write(`${row.jti}  ${row.owner}  ${row.createdAt}  ${row.lastUsedAt ?? 'never'}  ${row.label}\n`);
        }
      });
    });

  token
    .command('revoke')
    .description('revoke a generated token by its jti')
    .argument('<jti>', 'the token id shown by "token list"')
    .addOption(dataDirOption())
    .action(async (jti: string, options: { dataDir?: string }) => {
      await withCore(options, async (core) => {
        if (!(await core.tokens.revoke(jti))) throw new DomainError('not_found', `No token ${jti}`);
        process.stdout.write(`Token ${jti} revoked.\n`);
      });
    });
  return token;
}
