/** Pure views of the System tab's overview: the table's order, masks, and why a password action is refused. */
import type { ConfigEntryView, NodeInfo } from '../../../../shared/domain';

/** What the Type field suggests; any other word is stored as a label. */
export const CONFIG_TYPE_SUGGESTIONS = ['password', 'public', 'string', 'int', 'text'] as const;

/** Shown instead of a password value until it is revealed. */
export const MASK = '••••••';

/** privacyIDEA's one special type: stored encrypted, masked in the panel, revealed one at a time. */
export const isPasswordType = (type: string): boolean => type.trim() === 'password';

/** By key, so that the table reads the same after every refresh. */
export const sortedEntries = (entries: readonly ConfigEntryView[]): ConfigEntryView[] =>
  [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** Why Reveal is disabled for an entry, or null. */
export const revealBlockedReason = (entry: ConfigEntryView, passwordsUnavailable: string | null): string | null =>
  entry.masked ? passwordsUnavailable : null;

/** The nodes an admin registered, by name; this node is shown apart. */
export const sortedNodes = (nodes: readonly NodeInfo[]): NodeInfo[] =>
  [...nodes].sort((a, b) => a.name.localeCompare(b.name) || (a.uuid < b.uuid ? -1 : 1));
