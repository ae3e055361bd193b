/**
 * documentation.rst, as GET /system/documentation serves it: this installation described in reStructuredText,
 * laid out like privacyIDEA's export (title, System/Date bullets, one section per area). Pure: the core gathers
 * the data, this function only writes it down.
 *
 * Never printed, whatever the input holds: the JWT key, passwords and password hashes, password-typed config
 * values (always `__CENSORED__`, even if a value arrives), the mail password (only "set" / "not set"). Fields are
 * read by name, never by walking an object, so a secret riding along in an extra property cannot reach the text.
 * Every value goes through rst.ts, so no typed text can break the document.
 */
import {
  DEFAULT_KEYS,
  type CameraSettings,
  type NodeInfo,
  type NotificationSettings,
  type Role,
  type SystemDefaults,
} from '../../shared/domain.js';
import { inlineText, listTable, literal, note, title, valueCell, yesNo, type Cell } from './rst.js';

export const DOCUMENTATION_TITLE = 'CamPanel configuration documentation';
/** What a password-typed config value shows (privacyIDEA's word). */
export const CENSORED = '__CENSORED__';

export interface DocumentationInput {
  generatedAt: Date;
  node: NodeInfo;
  version: string;
  hostName: string;
  api: {
    allowApi: boolean;
    host: string;
    port: number;
    accessTokenMinutes: number;
    refreshTokenDays: number;
    secretsFilePath: string;
    running: boolean;
    urls: string[];
    secretsProtected: boolean;
    secretsLocked: boolean;
  };
  users: Array<{ name: string; role: Role; initial: boolean }>;
  /** Password-typed values should arrive as null; they are censored whatever arrives. */
  config: Array<{ key: string; value: string | null; type: string; desc: string }>;
  defaults: SystemDefaults;
  cameras: CameraSettings & { pipeline: { state: string; detail?: string } };
  notifications: NotificationSettings & { passwordSet: boolean };
  registeredNodes: NodeInfo[];
}

export function renderDocumentation(input: DocumentationInput): string {
  const parts = [
    title(DOCUMENTATION_TITLE, '='),
    [
      `* System: ${inlineText(input.hostName)}`,
      `* Date: ${formatDate(input.generatedAt)}`,
      `* Version: ${inlineText(input.version)}`,
    ].join('\n'),
    section('Node', settingsTable([
      ['Name', valueCell(input.node.name)],
      ['UUID', valueCell(input.node.uuid)],
    ])),
    section('API settings', apiSection(input.api)),
    section('Users and roles', usersSection(input.users)),
    section('System configuration', configSection(input.config)),
    section('Defaults', defaultsSection(input.defaults)),
    section('Cameras and pipeline', camerasSection(input.cameras)),
    section('Notifications', notificationsSection(input.notifications)),
    section('Registered nodes', nodesSection(input.registeredNodes)),
  ];
  return `${parts.join('\n\n')}\n`.replace(/\n{3,}/g, '\n\n');
}

/** YYYY-MM-DD HH:MM in the machine's local time, as privacyIDEA prints it. */
function formatDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

function section(name: string, body: string): string {
  return `${title(name, '-')}\n\n${body}`;
}

function settingsTable(rows: Array<[string, Cell]>): string {
  return listTable(['Setting', 'Value'], rows.map(([label, cell]) => [[label], cell]));
}

const numberCell = (n: number): Cell => valueCell(String(n));

function apiSection(api: DocumentationInput['api']): string {
  return settingsTable([
    ['API allowed', yesNo(api.allowApi)],
    ['API running', yesNo(api.running)],
    ['API host', valueCell(api.host)],
    ['API port', numberCell(api.port)],
    ['Access Token Expiration in Minutes', api.accessTokenMinutes === 0 ? note('0: no expiration') : numberCell(api.accessTokenMinutes)],
    ['Refresh Token Expiration in Days', api.refreshTokenDays === 0 ? note('0: no expiration') : numberCell(api.refreshTokenDays)],
    ['JWT Secret Key File Path', api.secretsFilePath === '' ? note('not set: the API is inactive') : valueCell(api.secretsFilePath)],
    ['Secrets file protected by a passphrase', yesNo(api.secretsProtected)],
    ['Secrets file locked (not unlocked since start)', yesNo(api.secretsLocked)],
    ['API addresses', api.urls.length === 0 ? note('none while the API is not running') : api.urls.flatMap((url) => valueCell(url))],
  ]);
}

function usersSection(users: DocumentationInput['users']): string {
  if (users.length === 0) return '*No user exists yet.*';
  return listTable(
    ['User', 'Role', 'Must choose a new password'],
    users.map((user) => [valueCell(user.name), valueCell(user.role), yesNo(user.initial)]),
  );
}

function configSection(config: DocumentationInput['config']): string {
  if (config.length === 0) return '*No configuration entry is stored.*';
  return listTable(
    ['Key', 'Type', 'Description', 'Value'],
    config.map((entry) => [
      valueCell(entry.key),
      valueCell(entry.type),
      valueCell(entry.desc),
      // Belt and braces: the core already leaves password values out, and this never prints one either.
      entry.type === 'password' ? literal(CENSORED) : valueCell(entry.value),
    ]),
  );
}

function defaultsSection(defaults: SystemDefaults): string {
  const rows: Array<[string, keyof SystemDefaults, Cell]> = [
    ['Failed logins before a user is locked', 'maxFailCount', numberCell(defaults.maxFailCount)],
    ['A successful login resets the failure count', 'resetFailCount', yesNo(defaults.resetFailCount)],
    ['One-time password length', 'otpLen', numberCell(defaults.otpLen)],
    ['Synchronisation window', 'syncWindow', numberCell(defaults.syncWindow)],
    ['Counter window', 'countWindow', numberCell(defaults.countWindow)],
  ];
  return listTable(
    ['Setting', 'Stored as', 'Value'],
    rows.map(([label, field, cell]) => [[label], [`\`\`${DEFAULT_KEYS[field]}\`\``], cell]),
  );
}

function camerasSection(cameras: DocumentationInput['cameras']): string {
  const { pipeline } = cameras;
  const settings = settingsTable([
    ['Pipeline state', pipeline.detail ? [...valueCell(pipeline.state), ...valueCell(pipeline.detail)] : valueCell(pipeline.state)],
    ['Active camera', numberCell(cameras.activeCamera)],
    ['Photo directory', cameras.photoDir === '' ? note('default: photos in the data directory') : valueCell(cameras.photoDir)],
    ['Photo type', valueCell(cameras.photoType)],
    ['Raw photo type', valueCell(cameras.rawType)],
    ['Video type', valueCell(cameras.videoType)],
    ['Idle timeout in seconds', cameras.idleTimeoutSeconds === 0 ? note('0: always on') : numberCell(cameras.idleTimeoutSeconds)],
    ['Streams require a login', yesNo(cameras.requireAuthForStreaming)],
  ]);
  if (cameras.cameras.length === 0) return `${settings}\n\n*No camera is configured.*`;
  const table = listTable(
    ['Camera', 'Backend', 'Device', 'Resolution', 'Frame rate', 'JPEG quality'],
    cameras.cameras.map((camera, index) => [
      valueCell(index === cameras.activeCamera ? `${index} (active)` : String(index)),
      valueCell(camera.backend),
      valueCell(camera.device),
      valueCell(`${camera.width}x${camera.height}`),
      numberCell(camera.fps),
      numberCell(camera.jpegQuality),
    ]),
  );
  return `${settings}\n\n${table}`;
}

function notificationsSection(mail: DocumentationInput['notifications']): string {
  const text = (value: string, empty: string): Cell => (value === '' ? note(empty) : valueCell(value));
  return settingsTable([
    ['Mail server', text(mail.host, 'not set: notifications are off')],
    ['Port', numberCell(mail.port)],
    ['Encryption', valueCell(mail.tls)],
    ['User', text(mail.user, 'none')],
    // Whether a password is stored, never the password.
    ['Password', valueCell(mail.passwordSet ? 'set' : 'not set')],
    ['Sender', text(mail.sender, 'not set')],
    ['Recipient', text(mail.recipient, 'not set')],
  ]);
}

function nodesSection(nodes: NodeInfo[]): string {
  if (nodes.length === 0) return '*No other node is registered.*';
  return listTable(['Name', 'UUID'], nodes.map((node) => [valueCell(node.name), valueCell(node.uuid)]));
}
