import { Command } from 'commander';
import { apiSettingsSchema } from '../../shared/domain.js';
import { storeApiSettings } from '../core/configuration.js';
import { DomainError } from '../core/errors.js';
import { withCore } from './open-core.js';
import { dataDirOption, parseInteger } from './options.js';

interface ConfigureOptions {
  secretsFile: string;
  accessMinutes?: number;
  refreshDays?: number;
  host?: string;
  port?: number;
  dataDir?: string;
}

export function apiCommands(): Command {
  const api = new Command('api').description('configure the raspiCamSrv-compatible HTTP API');

  api
    .command('configure')
    .description('store the API settings and allow access through the API (takes effect at the next start)')
    .requiredOption('--secrets-file <path>', 'JWT Secret Key File Path (created with a new key when missing)')
    .option('--access-minutes <n>', 'Access Token Expiration in Minutes (0 = no expiration)', parseInteger(0, 999_999))
    .option('--refresh-days <n>', 'Refresh Token Expiration in Days (0 = no expiration)', parseInteger(0, 999_999))
    .option('--host <host>', 'address the API listens on')
    .option('--port <n>', 'API port', parseInteger(1, 65535))
    .addOption(dataDirOption())
    .action(async (options: ConfigureOptions) => {
      await withCore(options, async (core) => {
        const current = core.settings.get().api;
        const parsed = apiSettingsSchema.safeParse({
          secretsFilePath: options.secretsFile,
          accessTokenMinutes: options.accessMinutes ?? current.accessTokenMinutes,
          refreshTokenDays: options.refreshDays ?? current.refreshTokenDays,
          host: options.host ?? current.host,
          port: options.port ?? current.port,
        });
        if (!parsed.success) throw new DomainError('invalid', parsed.error.issues[0]?.message ?? 'Invalid settings');
        await storeApiSettings(core, parsed.data);
        core.settings.setGeneral({ ...core.settings.get().general, allowApi: true });
        const status = await core.api.status();
        process.stdout.write(`API settings stored. ${status.banner?.message ?? ''}\n`);
      });
    });

  api
    .command('status')
    .description('show the API settings and what the Settings/API banner says')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => {
      await withCore(options, async (core) => {
        const { general, api: stored } = core.settings.get();
        const status = await core.api.status();
        const lines = [
          `Allow access through API: ${general.allowApi ? 'yes' : 'no'}`,
          `JWT Secret Key File Path: ${stored.secretsFilePath || '(none)'}`,
          `Access Token Expiration in Minutes: ${stored.accessTokenMinutes}`,
          `Refresh Token Expiration in Days: ${stored.refreshTokenDays}`,
          `Address: ${stored.host}:${stored.port}`,
          `Status: ${status.banner ? `${status.banner.colour}: ${status.banner.message}` : 'API not allowed'}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
  return api;
}
