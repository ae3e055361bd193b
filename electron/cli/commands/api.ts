/** `campanel api configure|status`. */
import { z } from 'zod';
import { LIMITS, hostSchema, lifetimeSchema, portSchema } from '../../../shared/domain.js';
import { CLI_ACTOR } from '../../operations/actor.js';
import { apiStatus } from '../../operations/api.js';
import { setGeneralSettings, storeApiSettings } from '../../operations/settings.js';
import { command, noArgs } from './command.js';

export const apiCommands = {
  // Settings → API's Submit plus General's "Allow access through API", in one command; options left out keep their stored value.
  'api.configure': command(
    z.strictObject({
      secretsFile: z.string().min(1).max(LIMITS.path),
      accessMinutes: lifetimeSchema.optional(),
      refreshDays: lifetimeSchema.optional(),
      host: hostSchema.optional(),
      port: portSchema.optional(),
    }),
    async (core, options) => {
      const { general, api } = core.settings.get();
      await storeApiSettings(
        core,
        {
          secretsFilePath: options.secretsFile,
          accessTokenMinutes: options.accessMinutes ?? api.accessTokenMinutes,
          refreshTokenDays: options.refreshDays ?? api.refreshTokenDays,
          host: options.host ?? api.host,
          port: options.port ?? api.port,
        },
        CLI_ACTOR,
      );
      setGeneralSettings(core, { ...general, allowApi: true }, CLI_ACTOR);
      const status = await apiStatus(core);
      return `API settings stored. ${status.banner?.message ?? ''}\n`;
    },
  ),

  'api.status': command(noArgs, async (core) => {
    const { general, api } = core.settings.get();
    const status = await apiStatus(core);
    const lines = [
      `Allow access through API: ${general.allowApi ? 'yes' : 'no'}`,
      `JWT Secret Key File Path: ${api.secretsFilePath || '(none)'}`,
      `Access Token Expiration in Minutes: ${api.accessTokenMinutes}`,
      `Refresh Token Expiration in Days: ${api.refreshTokenDays}`,
      `Address: ${api.host}:${api.port}`,
      `Running: ${status.running ? `yes, ${core.api.urls.join(' ')}` : 'no'}`,
      `Status: ${status.banner ? `${status.banner.colour}: ${status.banner.message}` : 'API not allowed'}`,
    ];
    return `${lines.join('\n')}\n`;
  }),
} as const;
