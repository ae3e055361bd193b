/** Picks the transport once at start-up: the Electron preload's object if present, else HTTP. */
import type { PanelClient } from '../../../shared/contract';
import { createHttpClient } from './http-client';

export function choosePanelClient(onPanelSessionLost: () => void): PanelClient {
  if (typeof window !== 'undefined' && window.campanel) return window.campanel;
  return createHttpClient({ onPanelSessionLost });
}
