/** `campanel panel-url`: a fresh single-use panel URL, only ever from the running instance's panel server. */
import { CLI_ACTOR } from '../../operations/actor.js';
import { issuePanelUrl } from '../../panel-server/panel-url.js';
import { command, noArgs } from './command.js';

export const panelCommands = {
  // Prints only the URL, so that scripts can capture it.
  'panel.url': command(noArgs, async (core) => `${issuePanelUrl(core, CLI_ACTOR)}\n`),
} as const;
