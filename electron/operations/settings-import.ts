/**
 * Reading a configuration export for Import: every problem in plain words (not validator output), and
 * what importing it would change, so the panel can ask before it replaces anything.
 */
import { z } from 'zod';
import {
  DEFAULT_CAMERA_SETTINGS,
  DEFAULT_NOTIFICATION_SETTINGS,
  settingsSchema,
  type NotificationSettings,
  type Settings,
} from '../../shared/domain.js';

export const EXPORT_FORMAT = 'campanel-configuration';

export const exportFileSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.string().max(64).optional(),
  // Exports made before cameras existed have no camera section: they keep today's camera settings' defaults.
  settings: settingsSchema.partial({ camera: true, notifications: true }),
});

export const NOT_JSON = 'This file is not JSON; choose a file made by "Export configuration".';
export const NOT_OURS = 'This is not a CamPanel configuration (it was not made by "Export configuration").';
export const OTHER_VERSION = 'This configuration was made by another CamPanel version, which this one cannot read.';

/**
 * A foreign file or another version is one problem, not a list of every field it lacks; otherwise each
 * problem of the settings, in plain words.
 */
export function fileProblems(raw: unknown, error: z.ZodError): string[] {
  const head = z.looseObject({ format: z.unknown(), version: z.unknown() }).safeParse(raw);
  if (!head.success || head.data.format !== EXPORT_FORMAT) return [NOT_OURS];
  if (head.data.version !== 1) return [OTHER_VERSION];
  return describeProblems(error, raw);
}

/** The panel's names for the settings, so a problem reads like the form it concerns. */
const LABELS: Record<string, string> = {
  'general.allowApi': 'Allow access through API',
  'api.secretsFilePath': 'JWT Secret Key File Path',
  'api.accessTokenMinutes': 'Access Token Expiration in Minutes',
  'api.refreshTokenDays': 'Refresh Token Expiration in Days',
  'api.host': 'API host',
  'api.port': 'API port',
  'camera.cameras': 'Cameras',
  'camera.activeCamera': 'Active camera',
  'camera.photoType': 'Photo type',
  'camera.rawType': 'Raw photo type',
  'camera.videoType': 'Video type',
  'camera.photoDir': 'Photo folder',
  'camera.idleTimeoutSeconds': 'Camera idle timeout in seconds',
  'camera.requireAuthForStreaming': 'Require authentication for streaming',
  'notifications.host': 'Mail server',
  'notifications.port': 'Mail server port',
  'notifications.tls': 'Mail encryption',
  'notifications.user': 'Mail user',
  'notifications.sender': 'Mail sender',
  'notifications.recipient': 'Mail recipient',
};

const SECTIONS: Record<string, string> = {
  general: 'General settings',
  api: 'API settings',
  camera: 'Camera settings',
  notifications: 'Notification settings',
};

/** "settings.api.port" → "API port"; "settings.camera.cameras.1.fps" → "Camera 1 fps". */
export function labelOf(path: readonly PropertyKey[]): string {
  const [top, section, field, ...rest] = path.map(String);
  if (top !== 'settings') return top === undefined ? 'The file' : `"${top}"`;
  if (section === undefined) return 'The settings';
  if (field === undefined) return SECTIONS[section] ?? `"${section}"`;
  if (section === 'camera' && field === 'cameras' && rest[0] !== undefined) {
    return `Camera ${rest[0]}${rest[1] === undefined ? '' : ` ${rest[1]}`}`;
  }
  return LABELS[`${section}.${field}`] ?? `"${[section, field, ...rest].join('.')}"`;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'must be a number',
  int: 'must be a whole number',
  boolean: 'must be true or false',
  string: 'must be text',
  object: 'must be a section of settings',
  array: 'must be a list',
};

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One line per problem, e.g. "API port: Port must be 1 to 65535", "Photo type: must be one of jpg, png". */
export function describeProblems(error: z.ZodError, raw: unknown): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const where = labelOf(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) lines.push(`${labelOf([...issue.path, key])} is not a CamPanel setting`);
        break;
      case 'invalid_type':
        lines.push(valueAt(raw, issue.path) === undefined ? `${where} is missing` : `${where} ${TYPE_WORDS[issue.expected] ?? 'has the wrong type'}`);
        break;
      case 'invalid_value':
        lines.push(`${where} must be one of ${issue.values.map(String).join(', ')}`);
        break;
      case 'too_big':
        lines.push(issue.origin === 'string' ? `${where} is too long (at most ${issue.maximum} characters)` : `${where}: ${plain(issue.message, `must be at most ${issue.maximum}`)}`);
        break;
      case 'too_small':
        lines.push(`${where}: ${plain(issue.message, `must be at least ${issue.minimum}`)}`);
        break;
      default:
        lines.push(`${where}: ${plain(issue.message, 'is not valid')}`);
    }
  }
  return [...new Set(lines)];
}

/** Our schemas' own messages are written for people; zod's defaults ("Too big: expected …") are not. */
const plain = (message: string, fallback: string): string => (/^(Invalid|Too (big|small))\b/.test(message) ? fallback : message);

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
const shown = (value: string | number | boolean): string => (typeof value === 'boolean' ? yesNo(value) : value === '' ? '(blank)' : String(value));

/** What importing `next` changes, one line per setting, e.g. "API port: 5000 → 5001". */
export function describeChanges(current: Settings, next: Settings): string[] {
  const lines: string[] = [];
  const scalar = (label: string, from: string | number | boolean, to: string | number | boolean) => {
    if (from !== to) lines.push(`${label}: ${shown(from)} → ${shown(to)}`);
  };
  scalar(LABELS['general.allowApi'] ?? '', current.general.allowApi, next.general.allowApi);
  for (const key of ['secretsFilePath', 'accessTokenMinutes', 'refreshTokenDays', 'host', 'port'] as const) {
    scalar(LABELS[`api.${key}`] ?? key, current.api[key], next.api[key]);
  }
  const camera = { ...current.camera, cameras: JSON.stringify(current.camera.cameras) };
  const nextCamera = { ...next.camera, cameras: JSON.stringify(next.camera.cameras) };
  for (const key of Object.keys(DEFAULT_CAMERA_SETTINGS) as (keyof typeof camera)[]) {
    if (key === 'cameras') {
      if (camera.cameras !== nextCamera.cameras) {
        lines.push(`Cameras: ${current.camera.cameras.length} configured → ${next.camera.cameras.length} configured, as in the file`);
      }
    } else scalar(LABELS[`camera.${key}`] ?? key, camera[key], nextCamera[key]);
  }
  for (const key of Object.keys(DEFAULT_NOTIFICATION_SETTINGS) as (keyof NotificationSettings)[]) {
    scalar(LABELS[`notifications.${key}`] ?? key, current.notifications[key], next.notifications[key]);
  }
  return lines;
}
