/**
 * `campanel panel-url` reaches the panel server of the running instance through its core: the panel server
 * offers fresh single-use URLs here while it listens. One audit line per URL issued (the URL itself is a
 * credential and is never logged).
 */
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { isRunningInstance } from '../control/running-instance.js';
import { audit, type Actor } from '../operations/actor.js';

const issuers = new WeakMap<CamPanelCore, () => string>();

/** Called by the panel server while it listens; the returned function withdraws the offer. */
export function offerPanelUrls(core: CamPanelCore, issue: () => string): () => void {
  issuers.set(core, issue);
  return () => {
    if (issuers.get(core) === issue) issuers.delete(core);
  };
}

export function issuePanelUrl(core: CamPanelCore, actor: Actor): string {
  const issue = issuers.get(core);
  if (!issue) {
    throw new DomainError(
      'conflict',
      isRunningInstance(core)
        ? 'The running CamPanel is the desktop app, which has no panel URL: use its window, or quit it and run "campanel serve"'
        : `CamPanel is not running on ${core.dataDir}: start it with "campanel serve", which prints a panel URL`,
    );
  }
  const url = issue();
  audit(core.logger, actor, 'panel.url', 'panel URL issued');
  return url;
}
