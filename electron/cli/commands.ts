/**
 * What the CLI's commands do, once: run either on a core the CLI opened itself, or inside the running
 * instance (app or `serve`) when the CLI reaches it through the control socket. Arguments cross a
 * process boundary in the second case, so each command parses its own with zod.
 */
import { z } from 'zod';
import { apiSettingsSchema, lifetimeSchema, passwordSchema, portSchema, userNameSchema } from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { storeApiSettings } from '../core/configuration.js';
import { DomainError } from '../core/errors.js';

const noArgs = z.strictObject({});

const commandArgs = {
  'user.add': z.strictObject({ name: userNameSchema, admin: z.boolean(), password: passwordSchema }),
  'user.list': noArgs,
  'api.configure': z.strictObject({
    secretsFile: z.string().min(1).max(1024),
    accessMinutes: lifetimeSchema.optional(),
    refreshDays: lifetimeSchema.optional(),
    host: z.string().max(253).optional(),
    port: portSchema.optional(),
  }),
  'api.status': noArgs,
  'token.generate': z.strictObject({ user: z.string().min(1).max(64), label: z.string().max(100) }),
  'token.list': noArgs,
  'token.revoke': z.strictObject({ jti: z.string().min(1).max(64) }),
} as const;

export type CommandName = keyof typeof commandArgs;
export type CommandArgs<K extends CommandName> = z.input<(typeof commandArgs)[K]>;
export const isCommandName = (value: unknown): value is CommandName =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(commandArgs, value);

type Implementation<K extends CommandName> = (core: CamPanelCore, args: z.output<(typeof commandArgs)[K]>) => Promise<string>;

const implementations: { [K in CommandName]: Implementation<K> } = {
  'user.add': async (core, { name, admin, password }) => {
    if (!core.users.hasUsers()) {
      if (!admin) throw new DomainError('invalid', 'The first user must be an administrator: add --admin');
      await core.users.createFirstAdmin(name, password);
      return `Administrator ${name} created.\n`;
    }
    await core.users.add(name, admin ? 'admin' : 'user', password);
    return `User ${name} added; they must set their own password at first login.\n`;
  },

  'user.list': async (core) => {
    const rows = core.users.list((name) => core.limiter.isLocked(name));
    if (rows.length === 0) return 'No users yet. Add the first administrator with: campanel user add NAME --admin\n';
    const width = Math.max(4, ...rows.map((row) => row.name.length));
    const lines = rows.map(
      (row) => `${row.name.padEnd(width)}  ${row.role.padEnd(5)}  ${(row.initial ? 'yes' : 'no').padEnd(7)}  ${row.locked ? 'yes' : 'no'}`,
    );
    return `${'NAME'.padEnd(width)}  ROLE   INITIAL  LOCKED\n${lines.join('\n')}\n`;
  },

  'api.configure': async (core, options) => {
    const current = core.settings.get().api;
    const parsed = apiSettingsSchema.safeParse({
      secretsFilePath: options.secretsFile,
      accessTokenMinutes: options.accessMinutes ?? current.accessTokenMinutes,
      refreshTokenDays: options.refreshDays ?? current.refreshTokenDays,
      host: options.host ?? current.host,
      port: options.port ?? current.port,
    });
    if (!parsed.success) throw new DomainError('invalid', parsed.error.issues[0]?.message ?? 'Invalid settings');
    await storeApiSettings(core, parsed.data);
    core.settings.setGeneral({ ...core.settings.get().general, allowApi: true });
    const status = await core.api.status();
    return `API settings stored. ${status.banner?.message ?? ''}\n`;
  },

  'api.status': async (core) => {
    const { general, api } = core.settings.get();
    const status = await core.api.status();
    const lines = [
      `Allow access through API: ${general.allowApi ? 'yes' : 'no'}`,
      `JWT Secret Key File Path: ${api.secretsFilePath || '(none)'}`,
      `Access Token Expiration in Minutes: ${api.accessTokenMinutes}`,
      `Refresh Token Expiration in Days: ${api.refreshTokenDays}`,
      `Address: ${api.host}:${api.port}`,
      `Running: ${status.running ? `yes, ${core.api.urls.join(' ')}` : 'no'}`,
      `Status: ${status.banner ? `${status.banner.colour}: ${status.banner.message}` : 'API not allowed'}`,
    ];
    return `${lines.join('\n')}\n`;
  },

  'token.generate': async (core, { user: name, label }) => {
    const user = core.users.get(name);
    if (!user) throw new DomainError('not_found', `No user ${name}`);
    if (user.initial) throw new DomainError('forbidden', `${name} must set their own password first`);
    const { token } = await core.api.generateToken(user.name, label);
    core.emit('tokens');
    return `${token}\n`;
  },

  'token.list': async (core) => {
    const rows = core.tokens.list();
    if (rows.length === 0) return 'No access tokens have been generated.\n';
    const lines = rows.map((row) => `${row.jti}  ${row.owner}  ${row.createdAt}  ${row.lastUsedAt ?? 'never'}  ${row.label}`);
    return `JTI                                   OWNER  CREATED  LAST USED  LABEL\n${lines.join('\n')}\n`;
  },

  'token.revoke': async (core, { jti }) => {
    if (!(await core.tokens.revoke(jti))) throw new DomainError('not_found', `No token ${jti}`);
    core.emit('tokens');
    return `Token ${jti} revoked.\n`;
  },
};

/** Parse the arguments and run the command on `core`; returns what to print on stdout. */
export async function runOnCore(core: CamPanelCore, name: CommandName, args: unknown): Promise<string> {
  const parsed = commandArgs[name].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new DomainError('invalid', `${where}${issue?.message ?? 'invalid arguments'}`);
  }
  const implementation = implementations[name] as Implementation<CommandName>;
  core.logger.info({ command: name }, 'command line');
  return implementation(core, parsed.data);
}
