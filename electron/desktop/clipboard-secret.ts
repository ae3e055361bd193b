/**
 * Copy a one-time secret and clear the clipboard 60 s later if it still holds it. Only a hash of
 * the secret is kept for that comparison, so the main process does not hold the token.
 */
import { createHash } from 'node:crypto';

export interface ClipboardLike {
  writeText(text: string): void;
  readText(): string;
  clear(): void;
}

export const CLIPBOARD_CLEAR_MS = 60_000;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

export function copySecret(
  clipboard: ClipboardLike,
  text: string,
  schedule: (run: () => void, ms: number) => unknown = setTimeout,
): void {
  clipboard.writeText(text);
  const hash = digest(text);
  schedule(() => {
    if (digest(clipboard.readText()) === hash) clipboard.clear();
  }, CLIPBOARD_CLEAR_MS);
}
