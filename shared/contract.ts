/**
 * The IPC contract: every call the renderer may make and every event it may receive.
 * A channel that is not here does not exist. Both transports (Electron IPC and the
 * headless panel's HTTP) are derived from this one table.
 */
import { z } from 'zod';
import {
  LIMITS,
  apiSettingsSchema,
  apiStatusViewSchema,
  generalSettingsSchema,
  loginPasswordSchema,
  passwordSchema,
  roleSchema,
  sessionStateSchema,
  settingsViewSchema,
  tokenRecordSchema,
  userNameSchema,
  userViewSchema,
} from './domain.js';

/**
 * Who may call a channel.
 * open: anyone holding a panel session (login screen, first run);
 * authenticated: logged in, even while the password must still be changed;
 * user: logged in with a usable password; admin: role admin with a usable password.
 */
export type Access = 'open' | 'authenticated' | 'user' | 'admin';

interface ChannelDef<Req extends z.ZodType, Res extends z.ZodType> {
  access: Access;
  request: Req;
  response: Res;
}

const channel = <Req extends z.ZodType, Res extends z.ZodType>(
  access: Access,
  request: Req,
  response: Res,
): ChannelDef<Req, Res> => ({ access, request, response });

const empty = z.strictObject({});
const ok = z.strictObject({ ok: z.literal(true) });

export const contract = {
  sessionState: channel('open', empty, sessionStateSchema),
  createAdmin: channel(
    'open',
    z.strictObject({ name: userNameSchema, password: passwordSchema }),
    sessionStateSchema,
  ),
  login: channel(
    'open',
    z.strictObject({ name: z.string().min(1).max(LIMITS.userName), password: loginPasswordSchema }),
    sessionStateSchema,
  ),
  logout: channel('authenticated', empty, sessionStateSchema),
  changePassword: channel(
    'authenticated',
    z.strictObject({ currentPassword: loginPasswordSchema, newPassword: passwordSchema }),
    sessionStateSchema,
  ),

  listUsers: channel('admin', empty, z.array(userViewSchema)),
  addUser: channel(
    'admin',
    z.strictObject({ name: userNameSchema, role: roleSchema, password: passwordSchema }),
    userViewSchema,
  ),
  removeUser: channel('admin', z.strictObject({ name: userNameSchema }), z.array(userViewSchema)),
  resetPassword: channel(
    'admin',
    z.strictObject({ name: userNameSchema, password: passwordSchema }),
    userViewSchema,
  ),

  getSettings: channel('user', empty, settingsViewSchema),
  setGeneralSettings: channel('admin', generalSettingsSchema, settingsViewSchema),
  setApiSettings: channel('admin', apiSettingsSchema, settingsViewSchema),
  exportConfig: channel('admin', empty, z.strictObject({ fileName: z.string(), json: z.string() })),
  importConfig: channel('admin', z.strictObject({ json: z.string().max(LIMITS.configJson) }), settingsViewSchema),

  apiStatus: channel('user', empty, apiStatusViewSchema),
  restartApi: channel('admin', empty, apiStatusViewSchema),
  rotateKey: channel('admin', empty, apiStatusViewSchema),

  generateToken: channel(
    'admin',
    z.strictObject({ label: z.string().max(LIMITS.label, `Label is at most ${LIMITS.label} characters`) }),
    z.strictObject({ token: z.string(), record: tokenRecordSchema }),
  ),
  listTokens: channel('admin', empty, z.array(tokenRecordSchema)),
  revokeToken: channel('admin', z.strictObject({ jti: z.string().min(1).max(LIMITS.jti) }), z.array(tokenRecordSchema)),

  /** Electron only: copy a one-time secret and clear the clipboard after 60 s if it still holds it. */
  copySecret: channel('admin', z.strictObject({ text: z.string().min(1).max(LIMITS.token) }), ok),
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

/** Events the renderer may receive: a hint to refetch a topic. */
export const eventSchema = z.strictObject({
  topic: z.enum(['session', 'users', 'settings', 'api', 'tokens']),
});
export type PanelEvent = z.infer<typeof eventSchema>;

export { ipcChannel, EVENT_CHANNEL } from './ipc-names.js';

/** The one interface the renderer talks to; the preload's exposed object must satisfy it. */
export type PanelCalls = { [K in ChannelName]: (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>> };
export interface PanelClient extends PanelCalls {
  /** Subscribe to events; returns the unsubscribe function. */
  subscribe(listener: (event: PanelEvent) => void): () => void;
  /** Which transport this is: the Electron app or the browser panel. */
  readonly transport: 'electron' | 'http';
}
