import { DomainError } from '../core/errors.js';
import type { Actor } from '../operations/actor.js';
import type { CallContext } from '../registry/handler-registry.js';

/** The audit line's actor for a panel call: its user, and the desktop window (IPC) or the browser panel (HTTP). */
export const panelActor = (context: CallContext): Actor => ({
  by: context.session.userName,
  via: context.transport === 'ipc' ? 'desktop' : 'panel',
});

/** The logged-in user's name; the registry has already refused channels that need one when nobody is. */
export function loggedInUser(context: CallContext): string {
  const name = context.session.userName;
  if (!name) throw new DomainError('unauthenticated', 'Please log in');
  return name;
}
