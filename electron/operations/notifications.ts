/** Settings → Notifications and /system/test/email: the mail server notifications use, and a real test mail. */
import type { MailTestResult, NotificationView, SaveNotifications } from '../../shared/domain.js';
import type { SystemParams } from '../api-server/privacyidea/system-api.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { audit, type Actor } from './actor.js';

type Deps = Pick<CamPanelCore, 'notifications' | 'logger' | 'emit'>;

export function notificationSettings(deps: Deps): Promise<NotificationView> {
  return deps.notifications.view();
}

export async function saveNotificationSettings(deps: Deps, request: SaveNotifications, actor: Actor): Promise<NotificationView> {
  const view = await deps.notifications.save(request);
  const password = request.password === undefined ? 'kept' : request.password === '' ? 'removed' : 'changed';
  audit(deps.logger, actor, 'notifications.save', 'mail server settings saved', { host: request.settings.host, port: request.settings.port, tls: request.settings.tls, password });
  deps.emit('notifications');
  return view;
}

/** The stored settings, a real mail; the result is an answer (ok or why not), also in the audit line. */
export async function sendTestMail(deps: Deps, actor: Actor): Promise<MailTestResult> {
  const result = await deps.notifications.sendTest();
  audit(deps.logger, actor, 'notifications.test', result.ok ? 'test mail sent' : 'test mail failed', { ok: result.ok, message: result.message });
  return result;
}

/** /system/test/email: privacyIDEA's email.* parameters, or the stored settings when none is given. */
export async function testEmail(deps: Deps, params: SystemParams, actor: Actor): Promise<MailTestResult> {
  const result = await deps.notifications.testFromParams(params);
  audit(deps.logger, actor, 'notifications.test', result.ok ? 'test mail sent' : 'test mail failed', { ok: result.ok, message: result.message });
  return result;
}
