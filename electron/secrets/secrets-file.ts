/**
 * The JWT secrets file, in raspiCamSrv's layout: { "jwtSecrets": { "jwtSecretKey": "<key>" }, ...other sections }.
 * CamPanel owns only jwtSecrets.jwtSecretKey; every other section is preserved.
 */
export type SecretsResult =
  | { ok: true; resolvedPath: string; key: string; keyId: string; generated: boolean }
  | { ok: false; resolvedPath: string | null; message: string };

/** Expand a leading "~" to the home directory; returns an absolute path. */
export function expandPath(path: string, home?: string): string {
  void path; void home;
  throw new Error('not implemented');
}

/** Read-only check: never creates or writes. Used for the status banner. */
export async function inspectSecretsFile(path: string): Promise<SecretsResult> {
  void path;
  throw new Error('not implemented');
}

/** Check, creating directories (0700), the file (0600) and a key when missing. */
export async function ensureSecretsFile(path: string): Promise<SecretsResult> {
  void path;
  throw new Error('not implemented');
}

/** Write a fresh 32-byte key atomically, keeping every other section. */
export async function rotateSecretsKey(path: string): Promise<SecretsResult> {
  void path;
  throw new Error('not implemented');
}
