/**
 * An in-memory SystemApi for the wire tests of the /system dialect: small, predictable, and recording
 * what the dialect handed it (parameters, actors). The real services are tested on their own and end to
 * end; here only the wire matters.
 */
import { HSM_TEXTS, SystemError, missingParameter, type SystemActor, type SystemApi, type SystemParams, type SystemRole, type WriteOutcome } from './system-api.js';

interface Entry {
  value: string | null;
  type: string;
}

export interface FakeSystemCall {
  method: string;
  params?: SystemParams;
  key?: string;
  actor?: SystemActor;
}

const DEFAULT_NAMES = ['DefaultMaxFailCount', 'DefaultSyncWindow', 'DefaultCountWindow', 'DefaultOtpLen', 'DefaultResetFailCount'];

export class FakeSystem implements SystemApi {
  readonly config = new Map<string, Entry>();
  readonly calls: FakeSystemCall[] = [];
  ready = true;
  passphrase = 'correct horse battery';
  /** Set to make the next call throw it (an unexpected failure). */
  failWith: unknown = null;

  constructor() {
    this.config.set('splitAtSign', { value: 'True', type: 'public' });
    this.config.set('mail.password', { value: 'hunter2', type: 'password' });
  }

  #check(): void {
    if (this.failWith !== null) throw this.failWith;
  }

  async readConfig(role: SystemRole): Promise<Record<string, string | null>> {
    this.#check();
    this.calls.push({ method: 'readConfig' });
    const visible: Record<string, string | null> = {};
    for (const [key, entry] of this.config) if (role === 'admin' || entry.type === 'public') visible[key] = entry.value;
    return visible;
  }

  async readConfigKey(key: string, role: SystemRole): Promise<string | null> {
    this.#check();
    this.calls.push({ method: 'readConfigKey', key });
    const entry = this.config.get(key);
    return entry && (role === 'admin' || entry.type === 'public') ? entry.value : null;
  }

  async setConfig(params: SystemParams, actor: SystemActor): Promise<Record<string, WriteOutcome>> {
    this.#check();
    this.calls.push({ method: 'setConfig', params, actor });
    const outcomes: Record<string, WriteOutcome> = {};
    for (const [key, value] of Object.entries(params)) {
      if (/\.(type|desc)$/.test(key)) continue;
      outcomes[key] = this.config.has(key) ? 'update' : 'insert';
      this.config.set(key, { value, type: params[`${key}.type`] ?? this.config.get(key)?.type ?? '' });
    }
    return outcomes;
  }

  async setDefault(params: SystemParams, actor: SystemActor): Promise<Record<string, WriteOutcome>> {
    this.#check();
    this.calls.push({ method: 'setDefault', params, actor });
    const outcomes: Record<string, WriteOutcome> = {};
    for (const name of DEFAULT_NAMES) {
      const sent = Object.keys(params).find((key) => key.toLowerCase() === name.toLowerCase());
      if (sent === undefined) continue;
      if (!params[sent]) throw missingParameter(name.toLowerCase());
      outcomes[name] = this.config.has(name) ? 'update' : 'insert';
    }
    if (Object.keys(outcomes).length === 0) throw new SystemError(77, `Usage: parameters are: ${DEFAULT_NAMES.join(', ')}`);
    return outcomes;
  }

  async deleteConfig(key: string, actor: SystemActor): Promise<boolean> {
    this.#check();
    this.calls.push({ method: 'deleteConfig', key, actor });
    return this.config.delete(key);
  }

  async documentation(actor: SystemActor): Promise<string> {
    this.#check();
    this.calls.push({ method: 'documentation', actor });
    return 'CamPanel configuration documentation\n=====================================\n\n* mail.password: __CENSORED__\n';
  }

  async nodes() {
    this.#check();
    return [{ name: 'campanel', uuid: '12345678-1234-1234-1234-1234567890ab' }];
  }

  hsmReady(): boolean {
    return this.ready;
  }

  async hsmUnlock(password: string, actor: SystemActor): Promise<void> {
    this.#check();
    this.calls.push({ method: 'hsmUnlock', actor });
    if (this.ready) throw new SystemError(707, HSM_TEXTS.alreadySetUp);
    if (password !== this.passphrase) throw new SystemError(707, HSM_TEXTS.wrongPassword);
    this.ready = true;
  }

  async testEmail(params: SystemParams, actor: SystemActor): Promise<{ ok: boolean; message: string }> {
    this.#check();
    this.calls.push({ method: 'testEmail', params, actor });
    const ok = params['email.mailserver'] === 'mail.example';
    return ok ? { ok, message: 'Successfully sent email. Please check your inbox.' } : { ok, message: 'Could not send email.' };
  }

  async gpgKeys() {
    this.#check();
    return { ABCDEF0123456789: { armor: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n…', fingerprint: '0123456789ABCDEF0123456789ABCDEF01234567' } };
  }

  async radiusNames(): Promise<string[]> {
    this.#check();
    return [];
  }

  async caConnectors() {
    this.#check();
    return [];
  }

  /** The last recorded call of `method`. */
  last(method: string): FakeSystemCall | undefined {
    return this.calls.filter((call) => call.method === method).at(-1);
  }
}
