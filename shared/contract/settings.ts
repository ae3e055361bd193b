import { z } from 'zod';
import { LIMITS, apiSettingsSchema, generalSettingsSchema, secretsFileOutcomeSchema, settingsViewSchema } from '../domain.js';
import { channel, empty } from './channel.js';

const importFile = z.strictObject({ json: z.string().max(LIMITS.configJson) });

export const settingsChannels = {
  getSettings: channel('user', empty, settingsViewSchema),
  setGeneralSettings: channel('admin', generalSettingsSchema, settingsViewSchema),
  /** The stored settings, and what happened to the secrets file (null for a blank path). */
  setApiSettings: channel('admin', apiSettingsSchema, settingsViewSchema.extend({ secretsFile: secretsFileOutcomeSchema.nullable() })),
  exportConfig: channel('admin', empty, z.strictObject({ fileName: z.string(), json: z.string() })),
  /** Import, step one (reads only): every problem in plain words, or what importing would change. */
  checkImport: channel('admin', importFile, z.strictObject({ problems: z.array(z.string()), changes: z.array(z.string()) })),
  importConfig: channel('admin', importFile, settingsViewSchema),
} as const;
