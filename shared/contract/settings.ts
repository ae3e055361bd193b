import { z } from 'zod';
import { LIMITS, apiSettingsSchema, generalSettingsSchema, settingsViewSchema } from '../domain.js';
import { channel, empty } from './channel.js';

export const settingsChannels = {
  getSettings: channel('user', empty, settingsViewSchema),
  setGeneralSettings: channel('admin', generalSettingsSchema, settingsViewSchema),
  setApiSettings: channel('admin', apiSettingsSchema, settingsViewSchema),
  exportConfig: channel('admin', empty, z.strictObject({ fileName: z.string(), json: z.string() })),
  importConfig: channel('admin', z.strictObject({ json: z.string().max(LIMITS.configJson) }), settingsViewSchema),
} as const;
