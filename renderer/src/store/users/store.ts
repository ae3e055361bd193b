/** The user list of Settings → Users (admins only). */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import type { Role, UserView } from '../../../../shared/domain';

export interface UsersStoreState {
  users: UserView[];
  loaded: boolean;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  addUser(name: string, role: Role, password: string): Promise<Result<UserView>>;
  removeUser(name: string): Promise<Result<UserView[]>>;
  resetPassword(name: string, password: string): Promise<Result<UserView>>;
  unlockUser(name: string): Promise<Result<UserView[]>>;
}

export function createUsersStore(client: PanelClient) {
  return createStore<UsersStoreState>()((set, get) => ({
    users: [],
    loaded: false,
    loadError: null,
    async refresh() {
      const result = await client.listUsers({});
      if (result.ok) set({ users: result.value, loaded: true, loadError: null });
      else set({ loadError: result.error });
    },
    async addUser(name, role, password) {
      const result = await client.addUser({ name, role, password });
      if (result.ok) await get().refresh();
      return result;
    },
    async removeUser(name) {
      const result = await client.removeUser({ name });
      if (result.ok) set({ users: result.value, loaded: true, loadError: null });
      return result;
    },
    async unlockUser(name) {
      const result = await client.unlockUser({ name });
      if (result.ok) set({ users: result.value, loaded: true, loadError: null });
      return result;
    },
    async resetPassword(name, password) {
      const result = await client.resetPassword({ name, password });
      if (result.ok) await get().refresh();
      return result;
    },
  }));
}

export type UsersStore = ReturnType<typeof createUsersStore>;
