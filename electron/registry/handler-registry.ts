/**
 * The one gate between a transport (Electron IPC or the headless panel's HTTP) and the core.
 * Order matters: the channel must exist, the caller must be allowed, and the payload must parse
 * with the contract's schema — only then does the handler run. Its answer is parsed again with
 * the response schema, so a handler bug cannot leak a field the contract does not name.
 */
import type { z } from 'zod';
import {
  contract,
  type Access,
  type ChannelName,
  type Contract,
  type PanelErrorBody,
  type ResponseOf,
  type Result,
} from '../../shared/contract.js';
import type { UserView } from '../../shared/domain.js';
import { DomainError, refusal } from '../core/errors.js';

/** Who is calling: one per Electron window or per headless panel session. */
export interface PanelSession {
  userName: string | null;
}

export interface CallContext {
  session: PanelSession;
  transport: 'ipc' | 'http';
  /** Client address for login limiting: the HTTP peer, or "local" for the desktop window. */
  address: string;
}

export type Handler<K extends ChannelName> = (
  request: z.output<Contract[K]['request']>,
  context: CallContext,
) => Promise<ResponseOf<K>> | ResponseOf<K>;

export type Handlers = { [K in ChannelName]: Handler<K> };

/** Resolves the session's user to decide access; null when nobody (or a removed user) is logged in. */
export type UserLookup = (name: string) => UserView | null;

export interface RegistryLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

const isChannelName = (value: unknown): value is ChannelName =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);

const failure = (body: PanelErrorBody): Result<never> => ({ ok: false, error: body });

export function checkAccess(access: Access, user: UserView | null): PanelErrorBody | null {
  if (access === 'open') return null;
  if (!user) return { code: 'unauthenticated', message: 'Please log in' };
  if (access === 'authenticated') return null;
  if (user.initial) return { code: 'forbidden', message: 'Set your own password first' };
  if (access === 'admin' && user.role !== 'admin') return { code: 'forbidden', message: 'Administrators only' };
  return null;
}

export class HandlerRegistry {
  constructor(
    private readonly handlers: Handlers,
    private readonly lookupUser: UserLookup,
    private readonly logger?: RegistryLogger,
  ) {}

  async invoke(channel: unknown, payload: unknown, context: CallContext): Promise<Result<unknown>> {
    if (!isChannelName(channel)) {
      this.logger?.warn({ channel: String(channel).slice(0, 80), transport: context.transport }, 'unknown channel refused');
      return failure({ code: 'bad_request', message: 'Unknown channel' });
    }
    const definition = contract[channel];
    const user = context.session.userName ? this.lookupUser(context.session.userName) : null;
    if (context.session.userName && !user) context.session.userName = null; // removed while logged in
    const denied = checkAccess(definition.access, user);
    if (denied) return failure(denied);

    const parsed = definition.request.safeParse(payload ?? {});
    if (!parsed.success) {
      return failure(refusal('bad_request', parsed.error).toBody());
    }
    try {
      const handler = this.handlers[channel] as (request: unknown, context: CallContext) => unknown;
      const value = await handler(parsed.data, context);
      const checked = definition.response.safeParse(value);
      if (!checked.success) {
        this.logger?.error({ channel, issues: checked.error.issues.length }, 'handler answer does not match the contract');
        return failure({ code: 'internal', message: 'Internal error' });
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof DomainError) return failure(error.toBody());
      this.logger?.error({ channel, err: error instanceof Error ? error.message : String(error) }, 'handler failed');
      return failure({ code: 'internal', message: 'Internal error' });
    }
  }
}
