/**
 * Storing API settings, and the configuration export/import. Shared by the panel's handlers and
 * the CLI so both refuse the same things. An export holds the secrets file's path, never its content.
 */
import { z } from 'zod';
import { DEFAULT_CAMERA_SETTINGS, settingsSchema, type ApiSettings, type Settings } from '../../shared/domain.js';
import { ensureSecretsFile } from '../secrets/secrets-file.js';
import type { CamPanelCore } from './campanel-core.js';
import { DomainError } from './errors.js';

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

/** Submit on the API tab: validate, prepare the secrets file, store. Never restarts anything. */
export async function storeApiSettings(core: CamPanelCore, api: ApiSettings): Promise<Settings> {
  const normalised = { ...api, secretsFilePath: api.secretsFilePath.trim() };
  await checkSecretsPath(normalised);
  const stored = core.settings.setApi(normalised);
  core.logger.info({ path: normalised.secretsFilePath, host: api.host, port: api.port }, 'API settings stored');
  core.emit('api');
  return stored;
}

export function exportConfig(core: CamPanelCore, now = new Date()): { fileName: string; json: string } {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const body = { format: EXPORT_FORMAT, version: 1, exportedAt: now.toISOString(), settings: core.settings.get() };
  return { fileName: `campanel-config-${stamp}.json`, json: `${JSON.stringify(body, null, 2)}\n` };
}

export async function importConfig(core: CamPanelCore, json: string): Promise<Settings> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new DomainError('invalid', 'This file is not JSON; choose a file made by "Export configuration".');
  }
  const parsed = exportFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new DomainError('invalid', `Not a CamPanel configuration${where}: ${issue?.message ?? 'invalid'}`);
  }
  await checkSecretsPath(parsed.data.settings.api);
  const stored = core.settings.replace({ camera: DEFAULT_CAMERA_SETTINGS, ...parsed.data.settings });
  core.logger.info({}, 'configuration imported');
  core.emit('api');
  return stored;
}
