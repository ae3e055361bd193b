/**
 * Settings → Notifications: where mail goes and how it gets there, the test mail, and /system/test/email.
 *
 * The settings (host, port, TLS, user, sender, recipient) live in the settings store; the password lives in
 * the secrets file's `eventnotification` section, in raspiCamSrv's layout, so one secrets file serves both
 * programs. A raspiCamSrv user who already has that section sees their mail server filled in on first visit.
 */
import { hostname } from 'node:os';
import {
  hostSchema,
  mailAddressSchema,
  notificationSettingsSchema,
  portSchema,
  type MailTestResult,
  type NotificationSettings,
  type NotificationView,
  type SaveNotifications,
  type Settings,
} from '../../shared/domain.js';
import { SystemError, missingParameter, type SystemParams } from '../api-server/privacyidea/system-api.js';
import { DomainError, refusal } from '../core/errors.js';
import type { Logger } from '../logging/logger.js';
import type { SecretsSections, SectionRead } from '../secrets/secrets-sections.js';
import { sendMail, type MailServer, type MailTransportOptions } from './mail-transport.js';

/** raspiCamSrv's name for the mail section of the secrets file. */
export const MAIL_SECTION = 'eventnotification';

export const TEST_MAIL_SUBJECT = 'CamPanel test mail';

/** privacyIDEA's wording for /system/test/email, so its clients read the answer as they expect. */
export const EMAIL_TEST_TEXTS = {
  sent: 'Successfully sent email. Please check your inbox.',
  failed: 'Could not send email',
} as const;

/** privacyIDEA's default for email.port; plain SMTP unless email.tls says otherwise. */
const PRIVACYIDEA_DEFAULT_PORT = 25;

/** What the service needs from the settings store (SettingsStore fits). */
export interface NotificationSettingsSource {
  get(): Pick<Settings, 'notifications'>;
  setNotifications(notifications: NotificationSettings): unknown;
}

export interface NotificationServiceOptions {
  settings: NotificationSettingsSource;
  sections: SecretsSections;
  logger: Pick<Logger, 'info' | 'warn'>;
  now?: () => Date;
  /** Timeouts and extra CAs for the mail client; tests only. */
  transport?: MailTransportOptions;
}

type Section = Record<string, unknown>;

export class NotificationService {
  readonly #settings: NotificationSettingsSource;
  readonly #sections: SecretsSections;
  readonly #logger: Pick<Logger, 'info' | 'warn'>;
  readonly #now: () => Date;
  readonly #transport: MailTransportOptions;

  constructor(options: NotificationServiceOptions) {
    this.#settings = options.settings;
    this.#sections = options.sections;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#transport = options.transport ?? {};
  }

  async view(): Promise<NotificationView> {
    const stored = this.#settings.get().notifications;
    const read = await this.#sections.read(MAIL_SECTION);
    const section = read.ok ? read.value : undefined;
    const imported = stored.host === '' && section ? fromRaspiCamSrv(section, stored) : null;
    return {
      settings: imported ?? stored,
      passwordSet: passwordOf(section) !== '',
      passwordUnavailable: read.ok ? null : read.message,
      importedFromSecrets: imported !== null,
    };
  }

  /**
   * Settings into the settings store, and the mail section of the secrets file in raspiCamSrv's layout.
   * When a password is to be written and the secrets file cannot take it, nothing at all is stored.
   */
  async save(request: SaveNotifications): Promise<NotificationView> {
    const parsed = notificationSettingsSchema.safeParse(request.settings);
    if (!parsed.success) throw refusal('invalid', parsed.error);
    const settings = parsed.data;
    const { password } = request;

    const before = await this.#sections.read(MAIL_SECTION);
    if (!before.ok) {
      // Removing a password from a secrets file that is not configured at all leaves nothing behind.
      const mustWrite = password !== undefined && !(password === '' && before.problem === 'none');
      if (mustWrite) throw passwordRefusal(before.message);
      this.#settings.setNotifications(settings);
      this.#logger.info({ host: settings.host, port: settings.port, tls: settings.tls }, 'notification settings saved (no mail password stored)');
      return this.view();
    }

    const wrote = await this.#writeSection(before.value, settings, password);
    try {
      this.#settings.setNotifications(settings);
    } catch (error) {
      // The settings were refused: put the section back as it was, so the two stay in step.
      if (wrote) await this.#sections.update(MAIL_SECTION, () => before.value);
      throw error;
    }
    const passwordChange = password === undefined ? 'kept' : password === '' ? 'removed' : 'replaced';
    this.#logger.info({ host: settings.host, port: settings.port, tls: settings.tls, passwordChange }, 'notification settings saved');
    return this.view();
  }

  /** A real mail with the stored settings and password, to the stored recipient. */
  async sendTest(): Promise<MailTestResult> {
    const settings = this.#settings.get().notifications;
    const missing = missingSetting(settings);
    if (missing) return { ok: false, message: missing };
    const password = await this.#storedPassword(settings.user);
    if (typeof password !== 'string') return password;
    return this.#send({ ...settings, password });
  }

  /**
   * /system/test/email: privacyIDEA's `email.*` parameters, or the stored settings when none is given.
   * A missing required parameter is SystemError 905; a failed send is an answer in privacyIDEA's words.
   */
  async testFromParams(params: SystemParams): Promise<MailTestResult> {
    const given = Object.keys(params).some((key) => key.startsWith('email.'));
    const result = given ? await this.#send(serverFromParams(params)) : await this.sendTest();
    return result.ok ? { ok: true, message: EMAIL_TEST_TEXTS.sent } : { ok: false, message: `${EMAIL_TEST_TEXTS.failed}: ${result.message}` };
  }

  /** True when the section was written (so it can be put back). */
  async #writeSection(current: Section | undefined, settings: NotificationSettings, password: string | undefined): Promise<boolean> {
    // Nothing to keep in a file that has no mail section yet: do not create one (or the file) for blanks.
    if (current === undefined && !password && settings.host === '') return false;
    const written = await this.#sections.update(MAIL_SECTION, (latest) => toRaspiCamSrv(latest, settings, password));
    if (written.ok) return true;
    if (password !== undefined) throw passwordRefusal(written.message);
    // Only the copy for raspiCamSrv failed; CamPanel's own settings still save.
    this.#logger.warn({ problem: written.problem }, `the mail section of the secrets file was not updated: ${written.message}`);
    return false;
  }

  /** The password for `user` ('' when no login is used), or why it cannot be had. */
  async #storedPassword(user: string): Promise<string | MailTestResult> {
    if (user === '') return '';
    const read: SectionRead = await this.#sections.read(MAIL_SECTION);
    if (!read.ok) return { ok: false, message: `The mail password cannot be read: ${read.message}` };
    return passwordOf(read.value);
  }

  async #send(server: MailServer): Promise<MailTestResult> {
    const text = [
      `This is a test mail from CamPanel on ${hostname()}, sent at ${this.#now().toISOString()}.`,
      'If you can read it, notifications will reach you.',
      '',
    ].join('\n');
    const result = await sendMail(server, { subject: TEST_MAIL_SUBJECT, text }, this.#transport);
    const where = { host: server.host, port: server.port, tls: server.tls, recipient: server.recipient };
    if (result.ok) this.#logger.info(where, 'test mail sent');
    else this.#logger.warn({ ...where, reason: result.message }, 'test mail failed');
    return result;
  }
}

function passwordRefusal(why: string): DomainError {
  const message = `The mail password cannot be stored: ${why}`;
  return new DomainError('invalid', message, { password: message });
}

function missingSetting(settings: NotificationSettings): string | null {
  if (settings.host === '') return 'No mail server is set: enter its host name first.';
  if (settings.sender === '') return 'No sender address is set.';
  if (settings.recipient === '') return 'No recipient address is set.';
  return null;
}

const passwordOf = (section: Section | undefined): string => (typeof section?.password === 'string' ? section.password : '');

/**
 * raspiCamSrv's section (host, port, useSSL, authentication, user, password) as CamPanel settings, or null when
 * it names no usable host. raspiCamSrv has STARTTLS or TLS only, so useSSL false means STARTTLS.
 */
function fromRaspiCamSrv(section: Section, stored: NotificationSettings): NotificationSettings | null {
  const host = hostSchema.safeParse(section.host);
  if (!host.success) return null;
  const port = portSchema.safeParse(section.port);
  const user = typeof section.user === 'string' && section.authentication !== false ? section.user : '';
  const offered = notificationSettingsSchema.safeParse({
    ...stored,
    host: host.data,
    port: port.success ? port.data : section.useSSL === true ? 465 : stored.port,
    tls: section.useSSL === true ? 'tls' : 'starttls',
    user,
  });
  return offered.success ? offered.data : null;
}

/** CamPanel settings in raspiCamSrv's layout; keys this program does not know are kept as they are. */
function toRaspiCamSrv(current: Section | undefined, settings: NotificationSettings, password: string | undefined): Section {
  const next: Section = {
    ...current,
    host: settings.host,
    port: settings.port,
    useSSL: settings.tls === 'tls',
    authentication: settings.user !== '',
    user: settings.user,
  };
  if (password === '') delete next.password;
  else if (password !== undefined) next.password = password;
  return next;
}

function serverFromParams(params: SystemParams): MailServer {
  const required = (name: string): string => {
    const value = params[name];
    if (value === undefined || value === null || value === '') throw missingParameter(name);
    return value;
  };
  const checked = (name: string, schema: typeof hostSchema | typeof mailAddressSchema): string => {
    const value = required(name);
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new SystemError(905, `Invalid parameter: ${name} (${parsed.error.issues[0]?.message ?? 'not valid'})`);
    return parsed.data;
  };
  const host = checked('email.mailserver', hostSchema);
  const sender = checked('email.mailfrom', mailAddressSchema);
  const recipient = checked('email.recipient', mailAddressSchema);
  return {
    host,
    port: portParam(params['email.port']),
    tls: /^(true|1)$/i.test(params['email.tls'] ?? '') ? 'starttls' : 'none',
    user: params['email.username'] ?? '',
    password: params['email.password'] ?? '',
    sender,
    recipient,
  };
}

function portParam(value: string | null | undefined): number {
  if (value === undefined || value === null || value === '') return PRIVACYIDEA_DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!portSchema.safeParse(port).success) throw new SystemError(905, 'Invalid parameter: email.port (a port number from 1 to 65535)');
  return port;
}
