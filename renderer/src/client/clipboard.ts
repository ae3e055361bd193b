/**
 * Copying a one-time secret. In Electron the main process copies and clears after 60 s.
 * In the browser we copy, then clear best-effort after 60 s; the timer keeps only the
 * SHA-256 of the secret, so the secret can leave memory as soon as the screen drops it.
 */
import type { PanelClient, Result } from '../../../shared/contract';

export const CLIPBOARD_CLEAR_MS = 60_000;

export async function sha256Hex(text: string): Promise<string | null> {
  if (typeof crypto === 'undefined' || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function copyWithTextarea(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.value = '';
  area.remove();
  return copied;
}

/** Receives only the hash: the closure never holds the secret. */
function scheduleBrowserClear(hash: string): void {
  setTimeout(() => {
    void (async () => {
      try {
        if (!navigator.clipboard?.readText) return;
        const current = await navigator.clipboard.readText();
        if ((await sha256Hex(current)) === hash) await navigator.clipboard.writeText('');
      } catch {
        // Best effort: reading the clipboard may be refused (no focus, no permission).
      }
    })();
  }, CLIPBOARD_CLEAR_MS);
}

export async function copySecret(client: PanelClient, text: string): Promise<Result<true>> {
  if (client.transport === 'electron') {
    const result = await client.copySecret({ text });
    return result.ok ? { ok: true, value: true } : result;
  }
  if (!(await writeClipboard(text))) {
    return { ok: false, error: { code: 'unsupported', message: 'Copying is not available here. Select the token and copy it by hand.' } };
  }
  const hash = await sha256Hex(text).catch(() => null);
  if (hash) scheduleBrowserClear(hash);
  return { ok: true, value: true };
}

/**
 * Copying text that is not ours to guard (a node's UUID, a random key CamPanel never stores): the plain
 * clipboard, left as it is.
 */
export async function copyText(text: string): Promise<Result<true>> {
  if (await writeClipboard(text)) return { ok: true, value: true };
  return { ok: false, error: { code: 'unsupported', message: 'Copying is not available here. Select the text and copy it by hand.' } };
}

async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no focus, plain http): the older way below may still work.
  }
  return copyWithTextarea(text);
}
