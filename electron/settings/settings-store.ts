/**
 * Settings in `<dataDir>/settings.json`, one schema (shared/domain.ts) for both storage backends:
 * `conf` in plain Node (`campanel serve`, the CLI, tests) and `electron-store` in the app, which wraps conf.
 *
 * Reading never crashes start-up. The file is read and checked here, field by field, before any backend
 * sees it: a broken field falls back to its default and is named in `warnings`, unknown keys are dropped,
 * and a file that is not JSON at all gives all defaults. Whenever anything was repaired, the original bytes
 * are first copied to `settings.json.bak-<time>` and only then is the repaired file written.
 */
import { constants as fsConstants, copyFileSync, readFileSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  apiSettingsSchema,
  cameraSettingsSchema,
  generalSettingsSchema,
  notificationSettingsSchema,
  settingsSchema,
  type ApiSettings,
  type CameraSettings,
  type GeneralSettings,
  type NotificationSettings,
  type Settings,
  type SettingsView,
} from '../../shared/domain.js';
import { DomainError } from '../core/errors.js';

export const SETTINGS_CONFIG_NAME = 'settings';
export const SETTINGS_FILE = `${SETTINGS_CONFIG_NAME}.json`;

/** What the store needs from conf / electron-store: the whole object in and out, and where it lives. */
export interface SettingsBackend {
  store: Record<string, unknown>;
  readonly path: string;
}
export type SettingsBackendFactory = (options: { cwd: string; configName: string }) => SettingsBackend;

/** Settings hold no secret (the key lives in the secrets file), but the data directory is private all the same. */
export const SETTINGS_FILE_MODE = 0o600;

export const confBackend: SettingsBackendFactory = ({ cwd, configName }) =>
  new Conf<Record<string, unknown>>({ cwd, configName, configFileMode: SETTINGS_FILE_MODE });

/*
 * conf's own bookkeeping key (used for migrations). conf re-adds it from the file on every write, so it is
 * ignored here rather than "dropped with a warning" on every start.
 */
const CONF_INTERNAL_KEY = '__internal__';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stored value as the warning shows it: JSON, cut short so a huge value cannot flood the panel. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

const errorReason = (error: unknown): string =>
  error instanceof Error ? ('code' in error && typeof error.code === 'string' ? error.code : error.message) : String(error);

/**
 * One section, field by field. A missing field takes its default silently (an older file simply lacks it);
 * a field that is present but invalid takes its default and is named.
 */
function repairSection(section: string, schema: z.ZodObject, defaults: Json, raw: unknown, warnings: string[]): Json {
  if (raw === undefined) return defaults;
  if (!isObject(raw)) {
    warnings.push(`${section} was not valid (${show(raw)}); using the defaults`);
    return defaults;
  }
  const out: Json = {};
  for (const [key, fieldSchema] of Object.entries(schema.shape)) {
    const fallback = defaults[key];
    if (!(key in raw)) {
      out[key] = fallback;
      continue;
    }
    const parsed = z.safeParse(fieldSchema, raw[key]);
    if (parsed.success) {
      out[key] = parsed.data;
    } else {
      out[key] = fallback;
      warnings.push(`${section}.${key} was not valid (${show(raw[key])}); using the default ${show(fallback)}`);
    }
  }
  for (const key of Object.keys(raw)) {
    if (!(key in schema.shape)) warnings.push(`Unknown setting ${section}.${key} was dropped`);
  }
  return out;
}

function repair(json: unknown): { settings: Settings; warnings: string[] } {
  const warnings: string[] = [];
  if (!isObject(json)) {
    return { settings: DEFAULT_SETTINGS, warnings: [`${SETTINGS_FILE} did not hold a settings object; using defaults`] };
  }
  const general = repairSection('general', generalSettingsSchema, DEFAULT_SETTINGS.general, json.general, warnings);
  const api = repairSection('api', apiSettingsSchema, DEFAULT_SETTINGS.api, json.api, warnings);
  const camera = repairSection('camera', cameraSettingsSchema, DEFAULT_SETTINGS.camera, json.camera, warnings);
  const notifications = repairSection('notifications', notificationSettingsSchema, DEFAULT_SETTINGS.notifications, json.notifications, warnings);
  for (const key of Object.keys(json)) {
    const known = key === 'general' || key === 'api' || key === 'camera' || key === 'notifications' || key === CONF_INTERNAL_KEY;
    if (!known) warnings.push(`Unknown setting ${key} was dropped`);
  }
  // Every field is valid or a default by now; parsing once more gives the typed object.
  const parsed = settingsSchema.safeParse({ general, api, camera, notifications });
  if (parsed.success) return { settings: parsed.data, warnings };
  return { settings: DEFAULT_SETTINGS, warnings: [...warnings, 'Settings were reset to defaults'] };
}

/**
 * ok: a JSON object (possibly repaired); notAnObject: JSON that is no object, or no JSON at all (conf cannot
 * load it, so it is removed once backed up); unreadable: not even readable, so not backed up, so never replaced.
 */
type Loaded =
  | { kind: 'ok' | 'notAnObject'; settings: Settings; warnings: string[] }
  | { kind: 'unreadable'; settings: Settings; warnings: string[]; notWritable: string };

/** Reads and checks the file without touching it; a missing file is simply the defaults. */
function load(path: string): Loaded {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      return { kind: 'ok', settings: DEFAULT_SETTINGS, warnings: [] };
    }
    const reason = errorReason(error);
    return {
      kind: 'unreadable',
      settings: DEFAULT_SETTINGS,
      warnings: [`${SETTINGS_FILE} could not be read (${reason}); using defaults`],
      notWritable: `${SETTINGS_FILE} could not be read (${reason}), so it is not overwritten`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const warning = `${SETTINGS_FILE} could not be read (${errorReason(error)}); using defaults`;
    return { kind: 'notAnObject', settings: DEFAULT_SETTINGS, warnings: [warning] };
  }
  return { kind: isObject(json) ? 'ok' : 'notAnObject', ...repair(json) };
}

/** Copies the original next to it without ever overwriting an earlier backup. */
function backUp(path: string): string {
  const stamp = new Date().toISOString().replaceAll(':', '-');
  for (let attempt = 1; ; attempt++) {
    const backupPath = `${path}.bak-${stamp}${attempt > 1 ? `-${attempt}` : ''}`;
    try {
      copyFileSync(path, backupPath, fsConstants.COPYFILE_EXCL);
      return backupPath;
    } catch (error) {
      if (attempt >= 20 || !(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
}

/** Field name (as the form names it) → message, for every problem in a value that was about to be written. */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.at(-1)];
    const message = issue.code === 'unrecognized_keys' ? 'Unknown setting' : issue.message;
    for (const key of keys) {
      const name = key === undefined ? 'settings' : String(key);
      fields[name] ??= message;
    }
  }
  return fields;
}

export class SettingsStore {
  readonly path: string;
  readonly #dataDir: string;
  readonly #factory: SettingsBackendFactory;
  #backend: SettingsBackend | null = null;
  #settings: Settings;
  readonly #warnings: string[];
  readonly #backupPath: string | null;
  /** Set when the file could not be backed up: then it is never overwritten, and saving says why. */
  readonly #notWritable: string | null;
  readonly #listeners = new Set<() => void>();

  private constructor(
    dataDir: string,
    factory: SettingsBackendFactory,
    init: { settings: Settings; warnings: string[]; backupPath: string | null; notWritable: string | null },
  ) {
    this.#dataDir = dataDir;
    this.path = join(dataDir, SETTINGS_FILE);
    this.#factory = factory;
    this.#settings = structuredClone(init.settings);
    this.#warnings = init.warnings;
    this.#backupPath = init.backupPath;
    this.#notWritable = init.notWritable;
  }

  static open(dataDir: string, backend: SettingsBackendFactory = confBackend): SettingsStore {
    const path = join(dataDir, SETTINGS_FILE);
    const loaded = load(path);
    const { settings, warnings } = loaded;
    const store = (backupPath: string | null, notWritable: string | null) =>
      new SettingsStore(dataDir, backend, { settings, warnings, backupPath, notWritable });
    if (loaded.kind === 'unreadable') return store(null, loaded.notWritable);
    if (warnings.length === 0) return store(null, null);

    let backupPath: string;
    try {
      backupPath = backUp(path);
    } catch (error) {
      const reason = `${SETTINGS_FILE} could not be backed up (${errorReason(error)}), so it was left as it is`;
      warnings.push(reason);
      return store(null, reason);
    }
    const repaired = store(backupPath, null);
    try {
      // conf refuses to load a file that is not a JSON object; the backup now holds its bytes.
      if (loaded.kind === 'notAnObject') unlinkSync(path);
      repaired.#write(settings);
    } catch (error) {
      // Still running on the repaired values; the next successful save writes them.
      repaired.#warnings.push(`The repaired settings could not be saved (${errorReason(error)})`);
    }
    return repaired;
  }

  get(): Settings {
    return structuredClone(this.#settings);
  }

  view(): SettingsView {
    return { settings: this.get(), warnings: [...this.#warnings], backupPath: this.#backupPath };
  }

  setGeneral(general: GeneralSettings): Settings {
    return this.#save({ ...this.#settings, general: this.#validate(generalSettingsSchema, general) });
  }

  setApi(api: ApiSettings): Settings {
    return this.#save({ ...this.#settings, api: this.#validate(apiSettingsSchema, api) });
  }

  setCamera(camera: CameraSettings): Settings {
    return this.#save({ ...this.#settings, camera: this.#validate(cameraSettingsSchema, camera) });
  }

  setNotifications(notifications: NotificationSettings): Settings {
    return this.#save({ ...this.#settings, notifications: this.#validate(notificationSettingsSchema, notifications) });
  }

  /** The whole settings object at once (configuration import). */
  replace(settings: Settings): Settings {
    return this.#save(this.#validate(settingsSchema, settings));
  }

  /** Called after every successful write; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Values reach here from the CLI and imports as well as the contract, so they are checked again. */
  #validate<T>(schema: z.ZodType<T>, value: unknown): T {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const fields = fieldErrors(parsed.error);
    const summary = Object.entries(fields).map(([field, message]) => `${field}: ${message}`).join('; ');
    throw new DomainError('invalid', `Settings were not saved (${summary})`, fields);
  }

  #save(next: Settings): Settings {
    if (this.#notWritable) throw new DomainError('conflict', `Settings cannot be saved: ${this.#notWritable}`);
    this.#write(next);
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        // The save succeeded; a failing listener must neither turn it into an error nor stop the others.
        process.emitWarning(`settings onChange listener failed: ${errorReason(error)}`);
      }
    }
    return this.get();
  }

  /** Memory changes only after the backend has written the file, so a failed write changes nothing. */
  #write(next: Settings): void {
    const backend = this.#openBackend();
    backend.store = structuredClone(next);
    this.#settings = structuredClone(next);
  }

  /**
   * Created on first write, after open() has made sure the file parses (conf throws on one that does not).
   * The path check catches a factory that names the file differently (electron-store calls it `name`).
   */
  #openBackend(): SettingsBackend {
    if (this.#backend) return this.#backend;
    const backend = this.#factory({ cwd: this.#dataDir, configName: SETTINGS_CONFIG_NAME });
    if (resolve(backend.path) !== resolve(this.path)) {
      throw new Error(`The settings backend uses ${backend.path} instead of ${this.path}`);
    }
    this.#backend = backend;
    return backend;
  }
}
