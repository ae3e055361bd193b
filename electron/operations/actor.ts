/**
 * Who acted and how, for the audit line. Every operation writes exactly one such line (info) once it has
 * acted, whichever way in was used, so that the log reads the same for the panel, the desktop window and
 * the command line.
 */
import type { Logger } from '../logging/logger.js';

export interface Actor {
  /** The logged-in panel user; null on the command line, which acts as whoever owns the data directory. */
  by: string | null;
  via: 'panel' | 'cli' | 'desktop' | 'api';
}

export const CLI_ACTOR: Actor = Object.freeze({ by: null, via: 'cli' });

/** `op` names the operation (e.g. "token.revoke"), so one search finds it whatever the entry point. */
export function audit(logger: Pick<Logger, 'info'>, actor: Actor, op: string, message: string, details: Record<string, unknown> = {}): void {
  logger.info({ op, ...details, by: actor.by, via: actor.via }, message);
}
