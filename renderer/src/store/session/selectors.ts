import type { Role, UserView } from '../../../../shared/domain';
import type { SessionStoreState } from './store';

type SessionSlice = Pick<SessionStoreState, 'session' | 'loading' | 'loadError' | 'linkExpired'>;

export type GateScreen = 'linkExpired' | 'loading' | 'unreachable' | 'firstRun' | 'login' | 'changePassword' | 'ready';

/** Which full-page screen the session gate shows. */
export function gateScreen(state: SessionSlice): GateScreen {
  if (state.linkExpired) return 'linkExpired';
  if (state.session) return state.session.phase;
  if (state.loadError) return 'unreachable';
  return 'loading';
}

export const currentUser = (state: SessionSlice): UserView | null => state.session?.user ?? null;

export const isAdmin = (state: SessionSlice): boolean =>
  state.session?.phase === 'ready' && state.session.user?.role === 'admin';

export const roleLabel = (role: Role): string => (role === 'admin' ? 'Administrator' : 'User');
