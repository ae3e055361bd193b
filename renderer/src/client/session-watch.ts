/**
 * Wraps a PanelClient so that a call refused because the login ended (logged out elsewhere,
 * user removed) makes the session gate re-read the session instead of leaving a dead screen.
 */
import {
  channelNames,
  type ChannelName,
  type PanelCalls,
  type PanelClient,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../../shared/contract';
import { NO_PANEL_SESSION_MESSAGE } from './http-client';

export function watchUserSession(client: PanelClient, onLoginLost: () => void): PanelClient {
  const wrap =
    <K extends ChannelName>(name: K) =>
    async (request: RequestOf<K>): Promise<Result<ResponseOf<K>>> => {
      const call = client[name] as (r: RequestOf<K>) => Promise<Result<ResponseOf<K>>>;
      const result = await call(request);
      if (
        !result.ok &&
        result.error.code === 'unauthenticated' &&
        result.error.message !== NO_PANEL_SESSION_MESSAGE &&
        name !== 'sessionState' &&
        name !== 'login' &&
        name !== 'changePassword'
      ) {
        onLoginLost();
      }
      return result;
    };
  const calls = Object.fromEntries(channelNames.map((name) => [name, wrap(name)])) as unknown as PanelCalls;
  return {
    ...calls,
    subscribe: (listener) => client.subscribe(listener),
    watchConnection: (listener) => client.watchConnection(listener),
    transport: client.transport,
  };
}
