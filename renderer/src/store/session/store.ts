/** Who is logged in and which screen the session gate shows. Passwords pass through, never stay. */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import type { SessionState as SessionView } from '../../../../shared/domain';

export interface SessionStoreState {
  session: SessionView | null;
  loading: boolean;
  loadError: PanelErrorBody | null;
  /** The panel session cookie is missing: only the token URL printed by `campanel serve` helps. */
  linkExpired: boolean;
  refresh(): Promise<void>;
  createAdmin(name: string, password: string): Promise<Result<SessionView>>;
  login(name: string, password: string): Promise<Result<SessionView>>;
  logout(): Promise<Result<SessionView>>;
  changePassword(currentPassword: string, newPassword: string): Promise<Result<SessionView>>;
  markLinkExpired(): void;
}

export function createSessionStore(client: PanelClient) {
  return createStore<SessionStoreState>()((set) => {
    const apply = (result: Result<SessionView>): Result<SessionView> => {
      if (result.ok) set({ session: result.value, loadError: null });
      return result;
    };
    return {
      session: null,
      loading: false,
      loadError: null,
      linkExpired: false,
      async refresh() {
        set({ loading: true });
        const result = await client.sessionState({});
        if (result.ok) set({ session: result.value, loadError: null, loading: false });
        else set({ loadError: result.error, loading: false });
      },
      createAdmin: async (name, password) => apply(await client.createAdmin({ name, password })),
      login: async (name, password) => apply(await client.login({ name, password })),
      logout: async () => apply(await client.logout({})),
      changePassword: async (currentPassword, newPassword) =>
        apply(await client.changePassword({ currentPassword, newPassword })),
      markLinkExpired: () => set({ linkExpired: true }),
    };
  });
}

export type SessionStore = ReturnType<typeof createSessionStore>;
