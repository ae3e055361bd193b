/** `campanel api …` as typed: arguments, options and help; what each command does is in commands/api.ts. */
import { Command } from 'commander';
import { LIMITS } from '../../../shared/domain.js';
import { dataDirOption, parseInteger, print } from '../options.js';
import { runCommand } from '../run-command.js';

interface ConfigureOptions {
  secretsFile: string;
  accessMinutes?: number;
  refreshDays?: number;
  host?: string;
  port?: number;
  dataDir?: string;
}

export function apiGrammar(): Command {
  const api = new Command('api').description('configure the raspiCamSrv-compatible HTTP API');

  api
    .command('configure')
    .description('store the API settings and allow access through the API (applied by the next API restart)')
    .requiredOption('--secrets-file <path>', 'JWT Secret Key File Path (created with a new key when missing)')
    .option('--access-minutes <n>', 'Access Token Expiration in Minutes (0 = no expiration)', parseInteger(0, LIMITS.lifetimeMax))
    .option('--refresh-days <n>', 'Refresh Token Expiration in Days (0 = no expiration)', parseInteger(0, LIMITS.lifetimeMax))
    .option('--host <host>', 'address the API listens on')
    .option('--port <n>', 'API port', parseInteger(1, 65535))
    .addOption(dataDirOption())
    .action(async ({ dataDir, ...settings }: ConfigureOptions) => print(await runCommand({ dataDir }, 'api.configure', settings)));

  api
    .command('status')
    .description('show the API settings and what the Settings/API banner says')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => print(await runCommand(options, 'api.status', {})));
  return api;
}
