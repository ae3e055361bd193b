/**
 * The /system configuration entries as privacyIDEA's API and the panel's System tab use them: reading with
 * the role filter and the default-true keys, setConfig, setDefault and delete, plus the panel's
 * entry-by-entry editing. Where CamPanel differs from privacyIDEA on purpose (docs/compatibility.md, /system):
 * - a request is written entirely or not at all, and is validated before anything is written;
 * - a password-typed entry stays encrypted when updated without its `.type`;
 * - the setDefault values are checked, because CamPanel acts on them.
 *
 * No logging here: the caller writes the audit line, and must censor password-typed values in it.
 */
import {
  CONFIG_LIMITS,
  DEFAULT_KEYS,
  TIMESTAMP_KEY,
  configKeySchema,
  saveConfigEntrySchema,
  systemDefaultsSchema,
  type ConfigEntryView,
  type SaveConfigEntry,
  type SystemDefaults,
} from '../../shared/domain.js';
import { SystemError, type SystemApi, type SystemParams, type SystemRole, type WriteOutcome } from '../api-server/privacyidea/system-api.js';
import { DomainError, refusal } from '../core/errors.js';
import { FAILED_TO_DECRYPT, type ConfigCipher } from './config-cipher.js';
import type { ConfigDraft, ConfigEntry, SystemConfigStore } from './config-store.js';
import { DEFAULT_FIELDS_IN_ORDER, DEFAULT_FIELD_BY_KEY, parseDefault, readDefaults, storedDefault } from './system-defaults.js';

/** Read as "True" when the caller sees no entry of that name (privacyIDEA's defaults). */
export const DEFAULT_TRUE_KEYS = ['PrependPin', 'splitAtSign', 'IncFailCountOnFalsePin'] as const;

export const PASSWORD_TYPE = 'password';
/** What logs and the documentation export show instead of a password-typed value. */
export const CENSORED = '__CENSORED__';
const PUBLIC_TYPE = 'public';

const SET_DEFAULT_NAMES = DEFAULT_FIELDS_IN_ORDER.map((field) => DEFAULT_KEYS[field]);
const SET_DEFAULT_USAGE = `Usage: parameters are: ${SET_DEFAULT_NAMES.join(', ')}`;

/** A key as an error message shows it: quoted, and cut short so a huge key cannot flood a message. */
const shown = (key: string): string => JSON.stringify(key.length > 60 ? `${key.slice(0, 59)}…` : key);

const visibleTo = (role: SystemRole, key: string, entry: ConfigEntry): boolean =>
  role === 'admin' || entry.type === PUBLIC_TYPE || key.endsWith('.identifier');

/** privacyIDEA: a parameter whose last dot-segment is `type` or `desc` describes its base key and is never stored. */
function metadataOf(param: string): { base: string; field: 'type' | 'desc' } | null {
  const dot = param.lastIndexOf('.');
  const last = param.slice(dot + 1);
  if (last !== 'type' && last !== 'desc') return null;
  return { base: dot < 0 ? '' : param.slice(0, dot), field: last };
}

/** Why a value cannot be stored under `key` (length, and the setDefault keys' rules), or null; `stored` normalises it. */
function checkValue(key: string, value: string | null, type: string): { problem: string } | { stored: string | null } {
  if (value !== null && value.length > CONFIG_LIMITS.value) return { problem: `A value is at most ${CONFIG_LIMITS.value} characters` };
  const field = DEFAULT_FIELD_BY_KEY.get(key);
  if (field === undefined) return { stored: value };
  // CamPanel reads these as numbers and switches; it could not read an encrypted one.
  if (type === PASSWORD_TYPE) return { problem: `${key} cannot be password-typed` };
  if (value === null) return { stored: null };
  const parsed = parseDefault(field, value);
  return parsed.ok ? { stored: parsed.stored } : { problem: parsed.message };
}

type ApiPart = Pick<SystemApi, 'readConfig' | 'readConfigKey' | 'setConfig' | 'setDefault' | 'deleteConfig'>;

export class SystemConfigService implements ApiPart {
  readonly #store: SystemConfigStore;
  readonly #cipher: ConfigCipher;

  constructor(store: SystemConfigStore, cipher: ConfigCipher) {
    this.#store = store;
    this.#cipher = cipher;
  }

  // ---- the /system API ----

  async readConfig(role: SystemRole): Promise<Record<string, string | null>> {
    const pairs: Array<[string, string | null]> = [];
    for (const [key, entry] of this.#store.entries()) {
      if (visibleTo(role, key, entry)) pairs.push([key, await this.#readValue(key, entry)]);
    }
    const seen = new Set(pairs.map(([key]) => key));
    for (const key of DEFAULT_TRUE_KEYS) if (!seen.has(key)) pairs.push([key, 'True']);
    return Object.fromEntries(pairs);
  }

  async readConfigKey(key: string, role: SystemRole): Promise<string | null> {
    const entry = this.#store.get(key);
    if (entry && visibleTo(role, key, entry)) return this.#readValue(key, entry);
    return (DEFAULT_TRUE_KEYS as readonly string[]).includes(key) ? 'True' : null;
  }

  async setConfig(params: SystemParams): Promise<Record<string, WriteOutcome>> {
    const requests = this.#configRequests(params);
    if (requests.length === 0) return {};
    return this.#store.apply(async (draft) => {
      const outcomes: Array<[string, WriteOutcome]> = [];
      for (const { key, value, type, desc } of requests) {
        const existing = draft.get(key);
        // Type and description change only when a non-empty one is sent; the type therefore sticks.
        const nextType = type || existing?.type || '';
        const checked = checkValue(key, value, nextType);
        if ('problem' in checked) throw new SystemError(905, `The config key ${shown(key)} was not saved: ${checked.problem}`);
        const stored = nextType === PASSWORD_TYPE && checked.stored !== null ? await this.#cipher.encrypt(key, checked.stored) : checked.stored;
        draft.set(key, { value: stored, type: nextType, desc: desc || existing?.desc || '' });
        outcomes.push([key, existing ? 'update' : 'insert']);
      }
      return Object.fromEntries(outcomes);
    });
  }

  async setDefault(params: SystemParams): Promise<Record<string, WriteOutcome>> {
    const given = new Map<string, { param: string; value: string | null }>();
    for (const [param, value] of Object.entries(params)) {
      if (param.toLowerCase() === 'session') continue;
      const name = SET_DEFAULT_NAMES.find((candidate) => candidate.toLowerCase() === param.toLowerCase());
      if (name === undefined) continue;
      const earlier = given.get(name);
      if (earlier && earlier.value !== value) {
        throw new SystemError(905, `${name} was given twice (${earlier.param} and ${param}) with different values`);
      }
      given.set(name, { param, value });
    }
    if (given.size === 0) throw new SystemError(77, SET_DEFAULT_USAGE);

    const values: Array<[string, string]> = [];
    for (const field of DEFAULT_FIELDS_IN_ORDER) {
      const name = DEFAULT_KEYS[field];
      const sent = given.get(name);
      if (!sent) continue;
      if (sent.value === null || sent.value === '') throw new SystemError(905, `Missing parameter: ${name.toLowerCase()}`);
      const parsed = parseDefault(field, sent.value);
      if (!parsed.ok) throw new SystemError(905, `Invalid parameter ${name}: ${parsed.message}`);
      values.push([name, parsed.stored]);
    }
    return this.#store.apply((draft) => Object.fromEntries(values.map(([name, value]) => [name, setDefaultValue(draft, name, value)])));
  }

  async deleteConfig(key: string): Promise<boolean> {
    return this.#store.apply((draft) => draft.delete(key));
  }

  /**
   * `params` as an audit line may show them: the value of every key that is password-typed, by the
   * request's `.type` or by the stored entry (the type sticks), replaced by __CENSORED__. Call it before
   * setConfig, so a failed request is censored the same way.
   */
  censor(params: SystemParams): SystemParams {
    return Object.fromEntries(
      Object.entries(params).map(([param, value]) => {
        const secret = !metadataOf(param) && value !== null && (params[`${param}.type`] === PASSWORD_TYPE || this.#store.get(param)?.type === PASSWORD_TYPE);
        return [param, secret ? CENSORED : value];
      }),
    );
  }

  // ---- the panel's System tab ----

  /** Every entry but __timestamp__, sorted by key; password values masked (null) until revealed one by one. */
  overview(): ConfigEntryView[] {
    return this.#store
      .entries()
      .filter(([key]) => key !== TIMESTAMP_KEY)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => {
        const masked = entry.type === PASSWORD_TYPE;
        return { key, value: masked ? null : entry.value, type: entry.type, desc: entry.desc, masked };
      });
  }

  /** The setDefault values in effect: stored ones, the built-in defaults for the rest. */
  defaults(): SystemDefaults {
    return readDefaults((key) => {
      const entry = this.#store.get(key);
      return entry && entry.type !== PASSWORD_TYPE ? entry.value : null;
    });
  }

  /**
   * Insert or edit one entry; type and description are set exactly as given. value null keeps the stored
   * value, re-encrypted or decrypted when the type changes to or from password.
   */
  async saveEntry(input: SaveConfigEntry): Promise<void> {
    const parsed = saveConfigEntrySchema.safeParse(input);
    if (!parsed.success) throw refusal('invalid', parsed.error);
    const { key, value, type, desc } = parsed.data;
    const checked = checkValue(key, value, type);
    if ('problem' in checked) throw invalidField(DEFAULT_FIELD_BY_KEY.has(key) && type === PASSWORD_TYPE ? 'type' : 'value', checked.problem);
    await this.#forPanel(() =>
      this.#store.apply(async (draft) => {
        const existing = draft.get(key);
        let stored: string | null;
        if (value !== null) {
          stored = type === PASSWORD_TYPE && checked.stored !== null ? await this.#cipher.encrypt(key, checked.stored) : checked.stored;
        } else if (!existing) {
          throw invalidField('value', 'Enter a value for a new entry');
        } else {
          stored = await this.#keptValue(key, existing, type);
        }
        draft.set(key, { value: stored, type, desc });
      }),
    );
  }

  async deleteEntry(key: string): Promise<void> {
    if (key === TIMESTAMP_KEY) throw new DomainError('invalid', 'This entry is kept by CamPanel');
    const deleted = await this.#store.apply((draft) => draft.delete(key));
    if (!deleted) throw new DomainError('not_found', `There is no config entry ${shown(key)}`);
  }

  /** One value in clear (a password-typed one decrypted), for the admin who asked. */
  async reveal(key: string): Promise<string> {
    const entry = this.#store.get(key);
    if (!entry || key === TIMESTAMP_KEY) throw new DomainError('not_found', `There is no config entry ${shown(key)}`);
    if (entry.type !== PASSWORD_TYPE || entry.value === null) return entry.value ?? '';
    const stored = entry.value;
    return this.#forPanel(() => this.#decryptForPanel(key, stored));
  }

  async setDefaults(input: SystemDefaults): Promise<void> {
    const parsed = systemDefaultsSchema.safeParse(input);
    if (!parsed.success) throw refusal('invalid', parsed.error);
    const defaults = parsed.data;
    await this.#store.apply((draft) => {
      for (const field of DEFAULT_FIELDS_IN_ORDER) setDefaultValue(draft, DEFAULT_KEYS[field], storedDefault(field, defaults[field]));
    });
  }

  /** Why password-typed values cannot be written or revealed now, or null. */
  passwordsUnavailable(): Promise<string | null> {
    return this.#cipher.unavailable();
  }

  // ---- helpers ----

  /** Validated before anything is written: one bad key or value refuses the whole request. */
  #configRequests(params: SystemParams): Array<{ key: string; value: string | null; type: string; desc: string }> {
    const requests: Array<{ key: string; value: string | null; type: string; desc: string }> = [];
    for (const [param, value] of Object.entries(params)) {
      if (metadataOf(param)) continue;
      const key = configKeySchema.safeParse(param);
      if (!key.success) throw new SystemError(905, `The config key ${shown(param)} is not accepted: ${key.error.issues[0]?.message ?? 'not valid'}`);
      const type = params[`${param}.type`] ?? '';
      const desc = params[`${param}.desc`] ?? '';
      if (type.length > CONFIG_LIMITS.type) throw new SystemError(905, `The type of ${shown(param)} is longer than ${CONFIG_LIMITS.type} characters`);
      if (desc.length > CONFIG_LIMITS.desc) throw new SystemError(905, `The description of ${shown(param)} is longer than ${CONFIG_LIMITS.desc} characters`);
      // Checked here too (and again, with the sticky type, when written), so nothing is half-validated.
      const checked = checkValue(param, value, type);
      if ('problem' in checked) throw new SystemError(905, `The config key ${shown(param)} was not saved: ${checked.problem}`);
      requests.push({ key: param, value, type, desc });
    }
    return requests;
  }

  /** A visible entry's value for the API: password values decrypted; one that fails reads as privacyIDEA's text. */
  async #readValue(key: string, entry: ConfigEntry): Promise<string | null> {
    if (entry.type !== PASSWORD_TYPE || entry.value === null) return entry.value;
    // A locked secrets file is a SystemError 707 for the whole request, as privacyIDEA's "hsm not ready!".
    return this.#cipher.decrypt(key, entry.value);
  }

  /** The stored value carried over to `type`: decrypted or encrypted when the type changes to or from password. */
  async #keptValue(key: string, existing: ConfigEntry, type: string): Promise<string | null> {
    const wasPassword = existing.type === PASSWORD_TYPE;
    if (existing.value === null || wasPassword === (type === PASSWORD_TYPE)) return existing.value;
    if (!wasPassword) return this.#cipher.encrypt(key, existing.value);
    return this.#decryptForPanel(key, existing.value);
  }

  async #decryptForPanel(key: string, stored: string): Promise<string> {
    const plain = await this.#cipher.decrypt(key, stored);
    if (plain === FAILED_TO_DECRYPT) {
      throw new DomainError('conflict', `The stored value of ${shown(key)} cannot be decrypted with the key in the secrets file; enter it again`);
    }
    return plain;
  }

  /** The cipher's refusals (secrets file missing, locked, unusable) in the panel's words. */
  async #forPanel<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof SystemError)) throw error;
      throw new DomainError('conflict', (await this.#cipher.unavailable().catch(() => null)) ?? error.message);
    }
  }
}

/** setDefault's write of one key: type and description kept, except a password type (these are read in clear). */
function setDefaultValue(draft: ConfigDraft, name: string, value: string): WriteOutcome {
  const existing = draft.get(name);
  draft.set(name, { value, type: existing && existing.type !== PASSWORD_TYPE ? existing.type : '', desc: existing?.desc ?? '' });
  return existing ? 'update' : 'insert';
}

const invalidField = (field: string, message: string): DomainError => new DomainError('invalid', message, { [field]: message });
