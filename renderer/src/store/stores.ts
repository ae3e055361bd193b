/** All domain stores of the panel, created once per PanelClient. */
import type { PanelClient, PanelEvent } from '../../../shared/contract';
import { createApiStore, type ApiStore } from './api/store';
import { createCameraSettingsStore, type CameraSettingsStore } from './camera-settings/store';
import { createCameraStore, type CameraStore } from './camera/store';
import { createCapturesStore, type CapturesStore } from './captures/store';
import { isAdmin } from './session/selectors';
import { createSessionStore, type SessionStore } from './session/store';
import { createNotificationsStore, type NotificationsStore } from './notifications/store';
import { createSecretsStore, type SecretsStore } from './secrets/store';
import { createSettingsStore, type SettingsStore } from './settings/store';
import { createSystemStore, type SystemStore } from './system/store';
import { createUsersStore, type UsersStore } from './users/store';

export interface Stores {
  client: PanelClient;
  session: SessionStore;
  settings: SettingsStore;
  users: UsersStore;
  api: ApiStore;
  camera: CameraStore;
  captures: CapturesStore;
  cameraSettings: CameraSettingsStore;
  system: SystemStore;
  secrets: SecretsStore;
  notifications: NotificationsStore;
}

export function createStores(client: PanelClient): Stores {
  return {
    client,
    session: createSessionStore(client),
    settings: createSettingsStore(client),
    users: createUsersStore(client),
    api: createApiStore(client),
    camera: createCameraStore(client),
    captures: createCapturesStore(client),
    cameraSettings: createCameraSettingsStore(client),
    system: createSystemStore(client),
    secrets: createSecretsStore(client),
    notifications: createNotificationsStore(client),
  };
}

/** Refetch what an event names. Only while logged in; admin-only lists only for admins. */
export function handleEvent(stores: Stores, event: PanelEvent): void {
  const session = stores.session.getState();
  if (event.topic === 'session') {
    void session.refresh();
    return;
  }
  if (session.session?.phase !== 'ready') return;
  const admin = isAdmin(session);
  switch (event.topic) {
    case 'users':
      if (admin) void stores.users.getState().refresh();
      break;
    case 'settings':
      void stores.settings.getState().refresh();
      void stores.api.getState().refreshStatus();
      if (admin) {
        void stores.cameraSettings.getState().refresh();
        // An import or a new secrets file path changes the mail settings and what the lock reports.
        void stores.notifications.getState().refresh();
        void stores.secrets.getState().refresh();
      }
      break;
    case 'api':
      void stores.api.getState().refreshStatus();
      if (admin) void stores.secrets.getState().refresh();
      break;
    case 'system':
      if (admin) {
        void stores.system.getState().refresh();
        void stores.secrets.getState().refresh();
      }
      break;
    case 'notifications':
      if (admin) void stores.notifications.getState().refresh();
      break;
    case 'tokens':
      void stores.api.getState().refreshStatus();
      if (admin) void stores.api.getState().refreshTokens();
      break;
    case 'camera':
      void stores.camera.getState().refresh();
      break;
    case 'captures':
      void stores.captures.getState().refresh();
      break;
    case 'closing':
      break;
  }
}

export const connectEvents = (stores: Stores): (() => void) =>
  stores.client.subscribe((event) => handleEvent(stores, event));
