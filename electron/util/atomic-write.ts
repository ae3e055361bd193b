/**
 * Atomic file replacement: temp file in the same directory, fsync, rename, fsync of the directory.
 * A crash at any point leaves either the old file or the new one, never a half-written file.
 */
export interface AtomicWriteOptions {
  /** File mode of the new file, e.g. 0o600. */
  mode: number;
}

export async function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions): Promise<void> {
  void path; void data; void options;
  throw new Error('not implemented');
}
