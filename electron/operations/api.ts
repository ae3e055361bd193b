/** The API listener: Settings → API's banner and "Restart API", `campanel api status`. */
import type { ApiStatusView } from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { audit, type Actor } from './actor.js';

/** The banner and what the API tab shows; reads only (creates no secrets file). */
export function apiStatus(deps: Pick<CamPanelCore, 'api'>): Promise<ApiStatusView> {
  return deps.api.status();
}

/**
 * Replaces the listener with one built from the stored settings, or stops it when they do not allow
 * one. A failure to start is part of the answer (red banner), not an error. ApiController emits 'api'.
 */
export async function restartApi(deps: Pick<CamPanelCore, 'api' | 'logger'>, actor: Actor): Promise<ApiStatusView> {
  const status = await deps.api.restart();
  audit(deps.logger, actor, 'api.restart', 'API restarted', { running: status.running });
  return status;
}
