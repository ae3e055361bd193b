/**
 * The system configuration (Settings → System, /system, documentation.rst) and the secrets file's passphrase:
 * one operation per action, whichever way in (panel, /system, command line), each writing one audit line.
 * Audit lines name keys, never values: a password-typed value must not reach the log even by accident.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type {
  RandomRequest,
  SaveConfigEntry,
  SecretsLock,
  SystemDefaults,
  SystemOverview,
} from '../../shared/domain.js';
import type { SystemParams, WriteOutcome } from '../api-server/privacyidea/system-api.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { CAMPANEL_VERSION } from '../core/version.js';
import { renderDocumentation, type DocumentationInput } from '../system-docs/documentation.js';
import { audit, type Actor } from './actor.js';

type Deps = Pick<CamPanelCore, 'systemConfig' | 'nodes' | 'api' | 'logger'>;

export async function systemOverview(deps: Deps): Promise<SystemOverview> {
  const [secrets, passwordsUnavailable] = await Promise.all([deps.api.secretsLock(), deps.systemConfig.passwordsUnavailable()]);
  return {
    entries: deps.systemConfig.overview(),
    defaults: deps.systemConfig.defaults(),
    node: deps.nodes.self(),
    registeredNodes: deps.nodes.registered(),
    secrets,
    passwordsUnavailable,
  };
}

export async function saveConfigEntry(deps: Deps, entry: SaveConfigEntry, actor: Actor): Promise<SystemOverview> {
  await deps.systemConfig.saveEntry(entry);
  audit(deps.logger, actor, 'system.config.save', 'config entry saved', { configKey: entry.key, type: entry.type });
  return systemOverview(deps);
}

export async function deleteConfigEntry(deps: Deps, key: string, actor: Actor): Promise<SystemOverview> {
  await deps.systemConfig.deleteEntry(key);
  audit(deps.logger, actor, 'system.config.delete', 'config entry deleted', { configKey: key });
  return systemOverview(deps);
}

/** The clear value of one password-typed entry, for the admin who asked; the audit line says who looked. */
export async function revealConfigEntry(deps: Deps, key: string, actor: Actor): Promise<{ value: string }> {
  const value = await deps.systemConfig.reveal(key);
  audit(deps.logger, actor, 'system.config.reveal', 'config password revealed', { configKey: key });
  return { value };
}

export async function setSystemDefaults(deps: Deps, defaults: SystemDefaults, actor: Actor): Promise<SystemOverview> {
  await deps.systemConfig.setDefaults(defaults);
  audit(deps.logger, actor, 'system.defaults', 'defaults changed', { ...defaults });
  return systemOverview(deps);
}

/** Random key material; never logged (the audit line says only how much was made). */
export function randomKey(deps: Pick<CamPanelCore, 'logger'>, request: RandomRequest, actor: Actor): { value: string } {
  const bytes = randomBytes(request.length);
  audit(deps.logger, actor, 'system.random', 'random key made', { length: request.length, encoding: request.encoding });
  return { value: request.encoding === 'base64' ? bytes.toString('base64') : bytes.toString('hex') };
}

export async function registerNode(deps: Deps, node: { name: string; uuid: string }, actor: Actor): Promise<SystemOverview> {
  await deps.nodes.register(node.name, node.uuid);
  audit(deps.logger, actor, 'system.node.register', 'node registered', { name: node.name, uuid: node.uuid });
  return systemOverview(deps);
}

export async function removeNode(deps: Deps, uuid: string, actor: Actor): Promise<SystemOverview> {
  await deps.nodes.remove(uuid);
  audit(deps.logger, actor, 'system.node.remove', 'node removed', { uuid });
  return systemOverview(deps);
}

/** /system/setConfig: the whole request or nothing; the answer says, per key, insert or update. */
export async function setConfig(deps: Deps, params: SystemParams, actor: Actor): Promise<Record<string, WriteOutcome>> {
  const result = await deps.systemConfig.setConfig(params);
  if (Object.keys(result).length > 0) audit(deps.logger, actor, 'system.config.set', 'config entries written', { keys: Object.keys(result) });
  return result;
}

export async function setDefault(deps: Deps, params: SystemParams, actor: Actor): Promise<Record<string, WriteOutcome>> {
  const result = await deps.systemConfig.setDefault(params);
  audit(deps.logger, actor, 'system.defaults', 'defaults changed', { keys: Object.keys(result) });
  return result;
}

export async function deleteConfig(deps: Deps, key: string, actor: Actor): Promise<boolean> {
  const deleted = await deps.systemConfig.deleteConfig(key);
  audit(deps.logger, actor, 'system.config.delete', deleted ? 'config entry deleted' : 'config entry to delete not found', { configKey: key, deleted });
  return deleted;
}

// ---- the secrets file's passphrase ----

export async function unlockSecrets(deps: Deps, passphrase: string, actor: Actor): Promise<SecretsLock> {
  const state = await deps.api.unlockSecrets(passphrase);
  audit(deps.logger, actor, 'secrets.unlock', 'secrets file unlocked');
  return state;
}

export async function protectSecrets(deps: Deps, passphrase: string, actor: Actor): Promise<SecretsLock> {
  const state = await deps.api.protectSecrets(passphrase);
  audit(deps.logger, actor, 'secrets.protect', 'secrets file protected with a passphrase');
  return state;
}

export async function unprotectSecrets(deps: Deps, passphrase: string, actor: Actor): Promise<SecretsLock> {
  const state = await deps.api.unprotectSecrets(passphrase);
  audit(deps.logger, actor, 'secrets.unprotect', 'passphrase protection of the secrets file removed');
  return state;
}

// ---- documentation.rst ----

type DocDeps = Pick<CamPanelCore, 'systemConfig' | 'nodes' | 'api' | 'logger' | 'settings' | 'users' | 'camera' | 'notifications'>;

/** What the documentation describes, gathered from every part of the core, with no secret in it. */
export async function documentationInput(deps: DocDeps): Promise<DocumentationInput> {
  const settings = deps.settings.get();
  const [status, secrets, notifications] = await Promise.all([deps.api.status(), deps.api.secretsLock(), deps.notifications.view()]);
  const entries = deps.systemConfig.overview();
  const pipeline = deps.camera.state();
  return {
    generatedAt: new Date(),
    node: deps.nodes.self(),
    version: CAMPANEL_VERSION,
    hostName: hostname(),
    api: {
      ...settings.api,
      allowApi: settings.general.allowApi,
      running: status.running,
      urls: status.banner?.urls ?? [],
      secretsProtected: secrets.protected,
      secretsLocked: secrets.locked,
    },
    users: deps.users.list().map(({ name, role, initial }) => ({ name, role, initial })),
    // overview() masks password values already (null); the renderer censors them once more by type.
    config: entries.map(({ key, value, type, desc }) => ({ key, value: type === 'password' ? null : value, type, desc })),
    defaults: deps.systemConfig.defaults(),
    cameras: { ...settings.camera, pipeline: { state: pipeline.state, ...(pipeline.error ? { detail: pipeline.error } : {}) } },
    notifications: { ...notifications.settings, passwordSet: notifications.passwordSet },
    registeredNodes: deps.nodes.registered(),
  };
}

export async function systemDocumentation(deps: DocDeps, actor: Actor): Promise<{ fileName: string; text: string }> {
  const text = renderDocumentation(await documentationInput(deps));
  audit(deps.logger, actor, 'system.documentation', 'configuration documentation made');
  return { fileName: 'documentation.rst', text };
}
