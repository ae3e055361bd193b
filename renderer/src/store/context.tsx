import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ApiStoreState } from './api/store';
import type { CameraSettingsStoreState } from './camera-settings/store';
import type { CameraStoreState } from './camera/store';
import type { CapturesStoreState } from './captures/store';
import type { NotificationsStoreState } from './notifications/store';
import type { SecretsStoreState } from './secrets/store';
import type { SessionStoreState } from './session/store';
import type { SettingsStoreState } from './settings/store';
import type { Stores } from './stores';
import type { SystemStoreState } from './system/store';
import type { UsersStoreState } from './users/store';

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('StoresProvider is missing');
  return stores;
}

export const useSession = <T,>(selector: (s: SessionStoreState) => T): T => useStore(useStores().session, selector);
export const useSettings = <T,>(selector: (s: SettingsStoreState) => T): T => useStore(useStores().settings, selector);
export const useUsers = <T,>(selector: (s: UsersStoreState) => T): T => useStore(useStores().users, selector);
export const useApi = <T,>(selector: (s: ApiStoreState) => T): T => useStore(useStores().api, selector);
export const useCamera = <T,>(selector: (s: CameraStoreState) => T): T => useStore(useStores().camera, selector);
export const useCaptures = <T,>(selector: (s: CapturesStoreState) => T): T => useStore(useStores().captures, selector);
export const useCameraSettings = <T,>(selector: (s: CameraSettingsStoreState) => T): T =>
  useStore(useStores().cameraSettings, selector);
export const useSystem = <T,>(selector: (s: SystemStoreState) => T): T => useStore(useStores().system, selector);
export const useSecrets = <T,>(selector: (s: SecretsStoreState) => T): T => useStore(useStores().secrets, selector);
export const useNotifications = <T,>(selector: (s: NotificationsStoreState) => T): T =>
  useStore(useStores().notifications, selector);
