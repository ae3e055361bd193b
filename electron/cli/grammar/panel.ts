/** `campanel panel-url` as typed; what it does is in commands/panel.ts. */
import { Command } from 'commander';
import { LINK_LIMITS } from '../../panel-server/panel-links.js';
import { dataDirOption, print } from '../options.js';
import { runCommand } from '../run-command.js';

export function panelGrammar(): Command {
  const minutes = LINK_LIMITS.freshLifetimeMs / 60_000;
  return new Command('panel-url')
    .description(`print a fresh panel URL from the running "campanel serve" (it opens the panel once, within ${minutes} minutes)`)
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => print(await runCommand(options, 'panel.url', {})));
}
