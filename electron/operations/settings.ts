/**
 * Settings → General and API, and the configuration export/import. The settings store validates every
 * value again and emits 'settings' after each write; the API banner depends on all of these, hence 'api'.
 * An export holds the secrets file's path, never its content.
 */
import { z } from 'zod';
import {
  DEFAULT_CAMERA_SETTINGS,
  apiSettingsSchema,
  settingsSchema,
  type ApiSettings,
  type GeneralSettings,
  type Settings,
} from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError, firstIssue, refusal } from '../core/errors.js';
import { ensureSecretsFile } from '../secrets/secrets-file.js';
import { audit, type Actor } from './actor.js';

type SettingsDeps = Pick<CamPanelCore, 'settings' | 'logger' | 'emit'>;

const EXPORT_FORMAT = 'campanel-configuration';

const exportFileSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.string().max(64).optional(),
  // Exports made before cameras existed have no camera section: they keep today's camera settings' defaults.
  settings: settingsSchema.partial({ camera: true }),
});

/** Creates the secrets file (and key) when missing; refuses a path it cannot use, writing nothing. */
async function checkSecretsPath(api: ApiSettings): Promise<void> {
  if (api.secretsFilePath.trim() === '') return;
  const result = await ensureSecretsFile(api.secretsFilePath.trim());
  if (!result.ok) throw new DomainError('invalid', result.message, { secretsFilePath: result.message });
}

/** "Allow access through API". Takes effect at the next "Restart API". */
export function setGeneralSettings(deps: SettingsDeps, general: GeneralSettings, actor: Actor): Settings {
  const stored = deps.settings.setGeneral(general);
  audit(deps.logger, actor, 'settings.general', 'general settings stored', { allowApi: stored.general.allowApi });
  deps.emit('api');
  return stored;
}

/** Submit on the API tab: validate, prepare the secrets file, store. Never restarts anything. */
export async function storeApiSettings(deps: SettingsDeps, api: ApiSettings, actor: Actor): Promise<Settings> {
  // Checked before the secrets file is created: values from the command line have not met the contract.
  const parsed = apiSettingsSchema.safeParse({ ...api, secretsFilePath: api.secretsFilePath.trim() });
  if (!parsed.success) throw refusal('invalid', parsed.error);
  await checkSecretsPath(parsed.data);
  const stored = deps.settings.setApi(parsed.data);
  const { secretsFilePath: path, host, port } = stored.api;
  audit(deps.logger, actor, 'settings.api', 'API settings stored', { path, host, port });
  deps.emit('api');
  return stored;
}

export function exportConfig(
  deps: Pick<CamPanelCore, 'settings' | 'logger'>,
  actor: Actor,
  now = new Date(),
): { fileName: string; json: string } {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const body = { format: EXPORT_FORMAT, version: 1, exportedAt: now.toISOString(), settings: deps.settings.get() };
  const fileName = `campanel-config-${stamp}.json`;
  audit(deps.logger, actor, 'settings.export', 'configuration exported', { fileName });
  return { fileName, json: `${JSON.stringify(body, null, 2)}\n` };
}

/** Replaces every setting from an export, or nothing at all. */
export async function importConfig(deps: SettingsDeps, json: string, actor: Actor): Promise<Settings> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new DomainError('invalid', 'This file is not JSON; choose a file made by "Export configuration".');
  }
  const parsed = exportFileSchema.safeParse(raw);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new DomainError('invalid', `Not a CamPanel configuration${path ? ` at ${path}` : ''}: ${message}`);
  }
  await checkSecretsPath(parsed.data.settings.api);
  const stored = deps.settings.replace({ camera: DEFAULT_CAMERA_SETTINGS, ...parsed.data.settings });
  audit(deps.logger, actor, 'settings.import', 'configuration imported');
  deps.emit('api');
  return stored;
}
