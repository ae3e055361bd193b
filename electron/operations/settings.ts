/**
 * Settings → General and API, and the configuration export/import. The settings store validates every
 * value again and emits 'settings' after each write; the API banner depends on all of these, hence 'api'.
 * An export holds the secrets file's path, never its content.
 */
import {
  DEFAULT_CAMERA_SETTINGS,
  apiSettingsSchema,
  type ApiSettings,
  type GeneralSettings,
  type SecretsFileOutcome,
  type Settings,
} from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError, refusal } from '../core/errors.js';
import { ensureSecretsFile, expandPath, inspectSecretsFile, resolveTarget } from '../secrets/secrets-file.js';
import { audit, type Actor } from './actor.js';
import { EXPORT_FORMAT, NOT_JSON, describeChanges, exportFileSchema, fileProblems } from './settings-import.js';

type SettingsDeps = Pick<CamPanelCore, 'settings' | 'logger' | 'emit'>;

/** Import, step one: every problem in plain words, or (when there is none) what importing would change. */
export interface ImportCheck {
  problems: string[];
  changes: string[];
}

/** Submit on the API tab: the stored settings and what happened to the secrets file (null for a blank path). */
export interface StoredApiSettings {
  settings: Settings;
  secretsFile: SecretsFileOutcome | null;
}

/** Whether two typed paths name the same file ("~/x" and "/home/pi/x" do). */
function samePath(a: string, b: string): boolean {
  try {
    return expandPath(a.trim()) === expandPath(b.trim());
  } catch {
    return a.trim() === b.trim();
  }
}

const CHOICES = 'Point at the right file, or use "Create a new key" on the API tab';

/**
 * The secrets file for a path about to be stored. A path configured now (not the stored one) is created
 * with a new key when missing. The stored path's file is only read: when it has vanished, the user
 * chooses (the right file, or a new key on request), so no Submit or import replaces a key unasked.
 * Refuses a path it cannot use, writing nothing.
 */
async function prepareSecretsFile(path: string, storedPath: string): Promise<SecretsFileOutcome | null> {
  if (path.trim() === '') return null;
  const configuredNow = storedPath.trim() === '' || !samePath(path, storedPath);
  const before = await inspectSecretsFile(path);
  // A locked file is not mended by a new key: it holds one, behind a passphrase.
  const mendable = !before.ok && (before.problem === 'missing' || before.problem === 'noKey');
  const result = configuredNow && mendable ? await ensureSecretsFile(path) : before;
  if (!result.ok) {
    const message = result.problem === 'unusable' || result.problem === 'locked' ? result.message : `${result.message}. ${CHOICES}`;
    throw new DomainError('invalid', message, { secretsFilePath: message });
  }
  const outcome = !result.generated ? 'existing' : !before.ok && before.problem === 'missing' ? 'created' : 'keyAdded';
  return { resolvedPath: result.resolvedPath, outcome };
}

/** Not part of the audit line, which reads the same whichever entry point acted: a new key is worth its own line. */
function logNewKey(logger: SettingsDeps['logger'], secretsFile: SecretsFileOutcome | null): void {
  if (secretsFile && secretsFile.outcome !== 'existing') {
    logger.info({ path: secretsFile.resolvedPath, outcome: secretsFile.outcome }, 'new JWT key written to the secrets file');
  }
}

/** "Allow access through API". Takes effect at the next "Restart API". */
export function setGeneralSettings(deps: SettingsDeps, general: GeneralSettings, actor: Actor): Settings {
  const stored = deps.settings.setGeneral(general);
  audit(deps.logger, actor, 'settings.general', 'general settings stored', { allowApi: stored.general.allowApi });
  deps.emit('api');
  return stored;
}

/** Submit on the API tab: validate, prepare the secrets file, store. Never restarts anything. */
export async function storeApiSettings(deps: SettingsDeps, api: ApiSettings, actor: Actor): Promise<StoredApiSettings> {
  // Checked before the secrets file is created: values from the command line have not met the contract.
  const parsed = apiSettingsSchema.safeParse({ ...api, secretsFilePath: api.secretsFilePath.trim() });
  if (!parsed.success) throw refusal('invalid', parsed.error);
  const secretsFile = await prepareSecretsFile(parsed.data.secretsFilePath, deps.settings.get().api.secretsFilePath);
  const stored = deps.settings.setApi(parsed.data);
  const { secretsFilePath: path, host, port } = stored.api;
  audit(deps.logger, actor, 'settings.api', 'API settings stored', { path, host, port });
  logNewKey(deps.logger, secretsFile);
  deps.emit('api');
  return { settings: stored, secretsFile };
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

type ReadImport = { ok: true; settings: Settings } | { ok: false; problems: string[] };

/** Sections an older export lacks keep: cameras their defaults (as before), mail settings what is stored now. */
function readImport(json: string, current: Settings): ReadImport {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, problems: [NOT_JSON] };
  }
  const parsed = exportFileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: fileProblems(raw, parsed.error) };
  return { ok: true, settings: { camera: DEFAULT_CAMERA_SETTINGS, notifications: current.notifications, ...parsed.data.settings } };
}

/** What the import's secrets path would mean, read only: a problem, a change to announce, or nothing. */
async function secretsPathNote(path: string, storedPath: string): Promise<{ problem?: string; change?: string }> {
  if (path.trim() === '') return {};
  const configuredNow = storedPath.trim() === '' || !samePath(path, storedPath);
  const target = await resolveTarget(path);
  if (!target.ok) return { problem: `JWT Secret Key File Path: ${target.message}` };
  const result = await inspectSecretsFile(path);
  if (result.ok) return {};
  const mendable = result.problem === 'missing' || result.problem === 'noKey';
  if (configuredNow && mendable) {
    return { change: `A new JWT key will be written to ${target.resolvedPath}` };
  }
  const advice = mendable ? `. ${CHOICES}` : '';
  return { problem: `JWT Secret Key File Path: ${result.message}${advice}` };
}

/**
 * Import, step one: every problem of the file in plain words, or what importing it would change.
 * Reads only; creates nothing.
 */
export async function checkImport(deps: Pick<CamPanelCore, 'settings'>, json: string): Promise<ImportCheck> {
  const current = deps.settings.get();
  const read = readImport(json, current);
  if (!read.ok) return { problems: read.problems, changes: [] };
  const note = await secretsPathNote(read.settings.api.secretsFilePath, current.api.secretsFilePath);
  if (note.problem) return { problems: [note.problem], changes: [] };
  return { problems: [], changes: [...describeChanges(current, read.settings), ...(note.change ? [note.change] : [])] };
}

/** Replaces every setting from an export, or nothing at all. Every problem is listed, one per field entry. */
export async function importConfig(deps: SettingsDeps, json: string, actor: Actor): Promise<Settings> {
  const current = deps.settings.get();
  const read = readImport(json, current);
  if (!read.ok) throw importRefusal(read.problems);
  let secretsFile: SecretsFileOutcome | null;
  try {
    secretsFile = await prepareSecretsFile(read.settings.api.secretsFilePath, current.api.secretsFilePath);
  } catch (error) {
    if (error instanceof DomainError) throw importRefusal([`JWT Secret Key File Path: ${error.message}`]);
    throw error;
  }
  const stored = deps.settings.replace(read.settings);
  audit(deps.logger, actor, 'settings.import', 'configuration imported');
  logNewKey(deps.logger, secretsFile);
  deps.emit('api');
  return stored;
}

function importRefusal(problems: string[]): DomainError {
  const [first] = problems;
  const message = problems.length === 1 && first !== undefined ? first : `The file has ${problems.length} problems; nothing was imported.`;
  // One entry per problem, so the panel can list them all.
  return new DomainError('invalid', message, Object.fromEntries(problems.map((problem, index) => [`problem${index + 1}`, problem])));
}
