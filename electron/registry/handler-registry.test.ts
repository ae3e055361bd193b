import { describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../shared/contract.js';
import type { UserView } from '../../shared/domain.js';
import { DomainError } from '../core/errors.js';
import { HandlerRegistry, type CallContext, type Handlers } from './handler-registry.js';

const admin: UserView = { name: 'ada', role: 'admin', initial: false, locked: false };
const plain: UserView = { name: 'bob', role: 'user', initial: false, locked: false };
const initial: UserView = { name: 'ivy', role: 'user', initial: true, locked: false };
const users: Record<string, UserView> = { ada: admin, bob: plain, ivy: initial };

/** Every handler is a spy answering a valid response, so we can see whether it ran. */
function setup() {
  const spies = Object.fromEntries(channelNames.map((name) => [name, vi.fn()])) as Record<string, ReturnType<typeof vi.fn>>;
  spies.login?.mockResolvedValue({ phase: 'ready', user: admin });
  spies.addUser?.mockResolvedValue(plain);
  spies.listUsers?.mockResolvedValue([admin]);
  spies.revokeToken?.mockResolvedValue([]);
  spies.setApiSettings?.mockRejectedValue(new DomainError('invalid', 'Path is a directory', { secretsFilePath: 'Path is a directory' }));
  spies.getSettings?.mockRejectedValue(new Error('disk on fire at /secret/path'));
  spies.sessionState?.mockResolvedValue({ phase: 'login', user: null, extra: 'leak' });
  const registry = new HandlerRegistry(spies as unknown as Handlers, (name) => users[name] ?? null);
  const as = (userName: string | null): CallContext => ({ session: { userName }, transport: 'http', address: '127.0.0.1' });
  return { spies, registry, as };
}

describe('HandlerRegistry: the payload is refused before the handler runs', () => {
  it('runs the handler for a valid payload', async () => {
    const { spies, registry, as } = setup();
    const result = await registry.invoke('login', { name: 'ada', password: 'pw' }, as(null));
    expect(result).toEqual({ ok: true, value: { phase: 'ready', user: admin } });
    expect(spies.login).toHaveBeenCalledOnce();
  });

  it.each([
    ['unknown channel', 'deleteEverything', {}],
    ['prototype key as channel', '__proto__', {}],
    ['inherited key as channel', 'toString', {}],
    ['non-string channel', 42, {}],
  ])('refuses an %s', async (_what, channel, payload) => {
    const { spies, registry, as } = setup();
    const result = await registry.invoke(channel, payload, as('ada'));
    expect(result).toEqual({ ok: false, error: { code: 'bad_request', message: 'Unknown channel' } });
    for (const spy of Object.values(spies)) expect(spy).not.toHaveBeenCalled();
  });

  it.each([
    ['a wrong type', { name: 'ada', password: 5 }, 'password'],
    ['an extra key', { name: 'ada', password: 'pw', admin: true }, 'admin'],
    ['an oversized string', { name: 'a'.repeat(65), password: 'pw' }, 'name'],
    ['a missing key', { name: 'ada' }, 'password'],
    ['a non-object payload', 'ada:pw', '_'],
    ['an array payload', ['ada', 'pw'], '_'],
  ])('refuses %s and names the field', async (_what, payload, field) => {
    const { spies, registry, as } = setup();
    const result = await registry.invoke('login', payload, as(null));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('bad_request');
      expect(Object.keys(result.error.fields ?? {})).toContain(field);
    }
    expect(spies.login).not.toHaveBeenCalled();
  });

  it('refuses out-of-range numbers in the API settings with a message per field', async () => {
    const { spies, registry, as } = setup();
    const result = await registry.invoke(
      'setApiSettings',
      { secretsFilePath: '', accessTokenMinutes: -1, refreshTokenDays: 1_000_000, host: 'x', port: 70000 },
      as('ada'),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.error.fields ?? {}).sort()).toEqual(['accessTokenMinutes', 'port', 'refreshTokenDays']);
    expect(spies.setApiSettings).not.toHaveBeenCalled();
  });
});

describe('HandlerRegistry: access', () => {
  it.each([
    ['nobody on an authenticated channel', 'logout', null, 'unauthenticated'],
    ['nobody on an admin channel', 'listUsers', null, 'unauthenticated'],
    ['a plain user on an admin channel', 'listUsers', 'bob', 'forbidden'],
    ['an initial user on a user channel', 'getSettings', 'ivy', 'forbidden'],
    ['a removed user', 'listUsers', 'ghost', 'unauthenticated'],
  ])('refuses %s', async (_what, channel, userName, code) => {
    const { spies, registry, as } = setup();
    const result = await registry.invoke(channel, {}, as(userName));
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(spies[channel]).not.toHaveBeenCalled();
  });

  it('lets an initial user change their password and an admin list users', async () => {
    const { spies, registry, as } = setup();
    spies.changePassword?.mockResolvedValue({ phase: 'ready', user: { ...initial, initial: false } });
    expect((await registry.invoke('changePassword', { currentPassword: 'a', newPassword: 'long-enough' }, as('ivy'))).ok).toBe(true);
    expect((await registry.invoke('listUsers', {}, as('ada'))).ok).toBe(true);
  });

  it('logs a removed user out of the session', async () => {
    const { registry, as } = setup();
    const context = as('ghost');
    await registry.invoke('listUsers', {}, context);
    expect(context.session.userName).toBeNull();
  });
});

describe('HandlerRegistry: answers', () => {
  it('passes a DomainError through with its fields', async () => {
    const { registry, as } = setup();
    const result = await registry.invoke(
      'setApiSettings',
      { secretsFilePath: '/tmp', accessTokenMinutes: 1, refreshTokenDays: 1, host: '0.0.0.0', port: 5000 },
      as('ada'),
    );
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'Path is a directory', fields: { secretsFilePath: 'Path is a directory' } },
    });
  });

  it('hides the text of unexpected errors', async () => {
    const { registry, as } = setup();
    const result = await registry.invoke('getSettings', {}, as('bob'));
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
  });

  it('refuses a handler answer with a field the contract does not name', async () => {
    const { registry, as } = setup();
    const result = await registry.invoke('sessionState', {}, as(null));
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
  });
});
