import { z } from 'zod';
import { DEFAULT_API_SETTINGS, apiSettingsSchema } from './api.js';
import { DEFAULT_CAMERA_SETTINGS, cameraSettingsSchema } from './camera.js';
import { DEFAULT_NOTIFICATION_SETTINGS, notificationSettingsSchema } from './notifications.js';

export const generalSettingsSchema = z.strictObject({
  allowApi: z.boolean(),
});
export type GeneralSettings = z.infer<typeof generalSettingsSchema>;

export const settingsSchema = z.strictObject({
  general: generalSettingsSchema,
  api: apiSettingsSchema,
  camera: cameraSettingsSchema,
  notifications: notificationSettingsSchema,
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  general: { allowApi: false },
  api: DEFAULT_API_SETTINGS,
  camera: DEFAULT_CAMERA_SETTINGS,
  notifications: DEFAULT_NOTIFICATION_SETTINGS,
};

export const settingsViewSchema = z.strictObject({
  settings: settingsSchema,
  /** Fields of the settings file that were broken and fell back to defaults at start-up. */
  warnings: z.array(z.string()),
  backupPath: z.string().nullable(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;
