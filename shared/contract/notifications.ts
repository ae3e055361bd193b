import { mailTestResultSchema, notificationViewSchema, saveNotificationsSchema } from '../domain.js';
import { channel, empty } from './channel.js';

/** Settings → Notifications: the mail server notifications (and /system/test/email) use. */
export const notificationChannels = {
  notificationSettings: channel('admin', empty, notificationViewSchema),
  saveNotificationSettings: channel('admin', saveNotificationsSchema, notificationViewSchema),
  /** Sends a real mail with the stored settings; the result in words, never a thrown error for a failed send. */
  sendTestMail: channel('admin', empty, mailTestResultSchema),
} as const;
