/**
 * The IPC contract: every call the renderer may make and every event it may receive.
 * A channel that is not here does not exist. Both transports (Electron IPC and the
 * headless panel's HTTP) are derived from this one table; its rows live per domain in contract/.
 */
import { z } from 'zod';
import { apiChannels } from './contract/api.js';
import { cameraChannels } from './contract/camera.js';
import { captureChannels } from './contract/captures.js';
import { sessionChannels } from './contract/session.js';
import { settingsChannels } from './contract/settings.js';
import { userChannels } from './contract/users.js';
import { notificationChannels } from './contract/notifications.js';
import { systemChannels } from './contract/system.js';

export type { Access } from './contract/channel.js';

export const contract = {
  ...sessionChannels,
  ...userChannels,
  ...settingsChannels,
  ...apiChannels,
  ...cameraChannels,
  ...captureChannels,
  ...systemChannels,
  ...notificationChannels,
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const channelNames = Object.keys(contract) as ChannelName[];

export type RequestOf<K extends ChannelName> = z.input<Contract[K]['request']>;
export type ResponseOf<K extends ChannelName> = z.output<Contract[K]['response']>;

export const errorCodeSchema = z.enum([
  'bad_request', // unknown channel, wrong shape, extra key, oversized value
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'invalid', // a value the domain refuses; `fields` says which
  'unsupported',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const panelErrorSchema = z.strictObject({
  code: errorCodeSchema,
  message: z.string(),
  /** Field name → message, shown beside the field. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type PanelErrorBody = z.infer<typeof panelErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: PanelErrorBody };

/**
 * Events the renderer may receive: a hint to refetch a topic. 'closing': the app or server is shutting
 * down (the connection indicator says so at once instead of waiting for silence).
 */
export const eventSchema = z.strictObject({
  topic: z.enum(['session', 'users', 'settings', 'api', 'tokens', 'camera', 'captures', 'system', 'notifications', 'closing']),
});
export type PanelEvent = z.infer<typeof eventSchema>;

export { ipcChannel, EVENT_CHANNEL } from './ipc-names.js';

/** The one interface the renderer talks to; the preload's exposed object must satisfy it. */
export type PanelCalls = { [K in ChannelName]: (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>> };
export interface PanelClient extends PanelCalls {
  /** Subscribe to events; returns the unsubscribe function. */
  subscribe(listener: (event: PanelEvent) => void): () => void;
  /**
   * Whether the main process answers: called with false when it stopped answering (within 3 s) or said it
   * is closing, with true when it answers again. Returns the unsubscribe function.
   */
  watchConnection(listener: (connected: boolean) => void): () => void;
  /** Which transport this is: the Electron app or the browser panel. */
  readonly transport: 'electron' | 'http';
}
