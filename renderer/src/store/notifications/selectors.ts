/** Pure helpers of Settings → Notifications: TLS modes in words, their usual ports, and when a test can run. */
import type { MailTlsMode, NotificationView } from '../../../../shared/domain';

export const TLS_MODE_LABELS: Record<MailTlsMode, string> = {
  none: 'None',
  starttls: 'STARTTLS',
  tls: 'TLS',
};

/** The port each mode usually goes with (SMTP, submission, submissions). */
export const TLS_DEFAULT_PORTS: Record<MailTlsMode, number> = { none: 25, starttls: 587, tls: 465 };

/**
 * The port after the TLS mode changed: a blank port or the previous mode's usual one follows the new mode;
 * a port the admin chose stays.
 */
export function portAfterTlsChange(port: string, from: MailTlsMode, to: MailTlsMode): string {
  const typed = port.trim();
  return typed === '' || typed === String(TLS_DEFAULT_PORTS[from]) ? String(TLS_DEFAULT_PORTS[to]) : port;
}

/** Why "Send test mail" is disabled, or null; the test uses the stored settings. */
export function testBlockedReason(view: NotificationView | null, testing: boolean): string | null {
  if (!view) return 'Loading…';
  if (testing) return null;
  if (view.settings.host === '') return 'Enter a mail server and save first.';
  if (view.settings.recipient === '') return 'Enter a recipient and save first.';
  return null;
}
