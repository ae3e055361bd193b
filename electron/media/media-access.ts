/**
 * Who may fetch media: a logged-in user with a usable password, decided exactly as the handler registry
 * decides the contract's 'user' access (a removed user or one who must still change the initial password
 * is refused).
 */
import type { PanelErrorBody } from '../../shared/contract.js';
import { checkAccess, type PanelSession, type UserLookup } from '../registry/handler-registry.js';

export function mediaRefusal(session: PanelSession, lookupUser: UserLookup): PanelErrorBody | null {
  return checkAccess('user', session.userName ? lookupUser(session.userName) : null);
}
