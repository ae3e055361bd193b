/**
 * Settings → Notifications (admins): the mail server settings and whether a password is stored (never the
 * password). A test mail can take up to 15 s; `testing` lives here so that the button stays disabled even when
 * the tab is left and opened again meanwhile.
 */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import type { MailTestResult, NotificationView, SaveNotifications } from '../../../../shared/domain';

export const TEST_ALREADY_RUNNING = 'A test mail is already on its way.';

export interface NotificationsStoreState {
  view: NotificationView | null;
  loadError: PanelErrorBody | null;
  /** A test mail is on its way. */
  testing: boolean;
  /** What the last test mail did, until the settings change. */
  testResult: MailTestResult | null;
  refresh(): Promise<void>;
  save(request: SaveNotifications): Promise<Result<NotificationView>>;
  /** Sends with the stored settings; a refusal of the call itself is reported like a failed send. */
  sendTestMail(): Promise<MailTestResult>;
}

export function createNotificationsStore(client: PanelClient) {
  return createStore<NotificationsStoreState>()((set, get) => ({
    view: null,
    loadError: null,
    testing: false,
    testResult: null,
    async refresh() {
      const result = await client.notificationSettings({});
      if (result.ok) set({ view: result.value, loadError: null });
      else set({ loadError: result.error });
    },
    async save(request) {
      const result = await client.saveNotificationSettings(request);
      // The last test said something about the earlier settings.
      if (result.ok) set({ view: result.value, loadError: null, testResult: null });
      return result;
    },
    async sendTestMail() {
      // One at a time: a second click while the first is on its way changes nothing.
      if (get().testing) return { ok: false, message: TEST_ALREADY_RUNNING };
      set({ testing: true, testResult: null });
      const result = await client.sendTestMail({});
      const outcome: MailTestResult = result.ok ? result.value : { ok: false, message: result.error.message };
      set({ testing: false, testResult: outcome });
      return outcome;
    },
  }));
}

export type NotificationsStore = ReturnType<typeof createNotificationsStore>;
