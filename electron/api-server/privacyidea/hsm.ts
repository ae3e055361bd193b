/**
 * GET/POST /system/hsm: privacyIDEA's security module is CamPanel's passphrase-protected secrets file.
 * While that file is locked no token can be checked (the listener runs with a throwaway key), so these two
 * are the only /system endpoints served then, without a token: the passphrase itself is the credential,
 * and every try goes through the network login limiter like a password would.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { SystemHttpError } from './errors.js';
import { readSystemParams } from './params.js';
import { hsmParamsSchema } from './schemas.js';
import { HSM_TEXTS, SystemError, type SystemActor, type SystemApi, type SystemParams } from './system-api.js';

/** The limiter's "user" for passphrase tries: not a valid user name, so it never shares a count with one. */
export const PASSPHRASE_LIMITER_USER = '(secrets passphrase)';

/** Who the audit line names for a passphrase unlock without a token. */
export const passphraseActor = (request: FastifyRequest): SystemActor => ({ user: PASSPHRASE_LIMITER_USER, role: 'admin', address: request.ip });

export const tooManyPassphrasesText = (seconds: number): string =>
  `Too many wrong passphrases from this address. Wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'} before trying again.`;

export const hsmStatus = (system: SystemApi): { is_ready: boolean } => ({ is_ready: system.hsmReady() });

/**
 * POST /system/hsm after the caller is admitted (an admin token, or none while locked): the password is
 * checked for presence first, then whether there is anything to unlock, as privacyIDEA does.
 */
export async function unlockHsm(deps: ApiDeps, system: SystemApi, params: SystemParams, actor: SystemActor): Promise<{ is_ready: boolean }> {
  const parsed = hsmParamsSchema.safeParse({ password: params['password'] ?? undefined });
  if (!parsed.success) throw new SystemError(905, parsed.error.issues[0]?.message ?? 'Missing parameter: password');
  if (system.hsmReady()) throw new SystemError(707, HSM_TEXTS.alreadySetUp);
  const { password } = parsed.data;
  const attempt = await deps.limiter.attempt(PASSPHRASE_LIMITER_USER, actor.address, async () => {
    try {
      await system.hsmUnlock(password, actor);
      return true;
    } catch (error) {
      if (error instanceof SystemError && error.message === HSM_TEXTS.wrongPassword) return null;
      throw error;
    }
  });
  if (attempt.outcome === 'limited') {
    const seconds = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
    throw new SystemHttpError(400, 707, `ERR707: ${tooManyPassphrasesText(seconds)}`, null, { 'retry-after': String(seconds) });
  }
  if (attempt.outcome === 'wrong') throw new SystemError(707, HSM_TEXTS.wrongPassword);
  return { is_ready: true };
}

/** POST /system/hsm while the secrets are locked: no token, the passphrase is the credential. */
export async function unlockWhileLocked(deps: ApiDeps, system: SystemApi, request: FastifyRequest): Promise<{ is_ready: boolean }> {
  const params = await readSystemParams(request);
  return unlockHsm(deps, system, params, passphraseActor(request));
}
