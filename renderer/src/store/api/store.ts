/** API status (banner) and the token registry. A generated token is returned, never kept here. */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, ResponseOf, Result } from '../../../../shared/contract';
import type { ApiStatusView, TokenRecord } from '../../../../shared/domain';

export interface ApiStoreState {
  status: ApiStatusView | null;
  statusError: PanelErrorBody | null;
  tokens: TokenRecord[];
  tokensLoaded: boolean;
  tokensError: PanelErrorBody | null;
  /** Counts finished restarts, so that messages about a pending restart can leave once one was tried. */
  restarts: number;
  refreshStatus(): Promise<void>;
  refreshTokens(): Promise<void>;
  restartApi(): Promise<Result<ApiStatusView>>;
  /** A new key in the secrets file (created when it is missing); every listed token ends. */
  rotateKey(): Promise<Result<ApiStatusView>>;
  /** The token is handed to the caller only; the store records nothing of it but the list refresh. */
  generateToken(label: string): Promise<Result<ResponseOf<'generateToken'>>>;
  revokeToken(jti: string): Promise<Result<TokenRecord[]>>;
}

export function createApiStore(client: PanelClient) {
  return createStore<ApiStoreState>()((set, get) => {
    const applyStatus = (result: Result<ApiStatusView>): Result<ApiStatusView> => {
      if (result.ok) set({ status: result.value, statusError: null });
      return result;
    };
    return {
      status: null,
      statusError: null,
      tokens: [],
      tokensLoaded: false,
      tokensError: null,
      restarts: 0,
      async refreshStatus() {
        const result = await client.apiStatus({});
        if (result.ok) set({ status: result.value, statusError: null });
        else set({ statusError: result.error });
      },
      async refreshTokens() {
        const result = await client.listTokens({});
        if (result.ok) set({ tokens: result.value, tokensLoaded: true, tokensError: null });
        else set({ tokensError: result.error });
      },
      async restartApi() {
        const result = applyStatus(await client.restartApi({}));
        set((state) => ({ restarts: state.restarts + 1 }));
        return result;
      },
      async rotateKey() {
        const result = applyStatus(await client.rotateKey({}));
        await get().refreshTokens();
        return result;
      },
      async generateToken(label) {
        const result = await client.generateToken({ label });
        await Promise.all([get().refreshTokens(), get().refreshStatus()]);
        return result;
      },
      async revokeToken(jti) {
        const result = await client.revokeToken({ jti });
        if (result.ok) set({ tokens: result.value, tokensLoaded: true, tokensError: null });
        await get().refreshStatus();
        return result;
      },
    };
  });
}

export type ApiStore = ReturnType<typeof createApiStore>;
