import type { PanelClient } from '../../../shared/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in the browser panel. */
    readonly campanel?: PanelClient;
  }
}

export {};
