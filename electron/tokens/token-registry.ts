/**
 * What CamPanel remembers about generated (non-expiring) access tokens: never the token, only its jti,
 * owner, label and times (docs/compatibility.md §2.5), plus what has been revoked.
 *
 * File `<dataDir>/tokens.json`, mode 0600, replaced atomically on every change. Everything is held in
 * memory: `isRevoked` runs on every API request and must be O(1) without I/O.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { tokenRecordSchema, type TokenRecord } from '../../shared/domain.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export const TOKENS_FILE = 'tokens.json';
/** lastUsedAt changes on every request with a generated token; it is written at most this often. */
export const LAST_USED_PERSIST_DELAY_MS = 5_000;

const tokensFileSchema = z.strictObject({
  version: z.literal(1),
  records: z.array(tokenRecordSchema),
  revoked: z.array(z.string()),
});
type TokensFile = z.infer<typeof tokensFileSchema>;

export interface NewTokenRecord {
  jti: string;
  owner: string;
  label: string;
}

export class TokenRegistry {
  readonly path: string;
  /** Problems found while opening (e.g. a corrupt file set aside); for the panel to show. */
  readonly warnings: readonly string[];
  readonly #records: Map<string, TokenRecord>;
  readonly #revoked: Set<string>;
  #writes: Promise<void> = Promise.resolve();
  #lastUsedTimer: NodeJS.Timeout | null = null;
  readonly #now: () => number;

  private constructor(path: string, file: TokensFile, warnings: string[], now: () => number) {
    this.path = path;
    this.warnings = warnings;
    this.#records = new Map(file.records.map((record) => [record.jti, record]));
    this.#revoked = new Set(file.revoked);
    this.#now = now;
  }

  /**
   * Loads the registry. Missing file → empty. A file that does not parse is kept as
   * `tokens.json.corrupt-<timestamp>` for inspection and the registry starts empty, with a warning.
   * Starting empty is safe for revocations only because a corrupt file is rare and revoked tokens also
   * fail when their owner is gone; the warning tells the admin to rotate the key if in doubt.
   */
  static async open(dataDir: string, options: { now?: () => number } = {}): Promise<TokenRegistry> {
    const now = options.now ?? Date.now;
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, TOKENS_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new TokenRegistry(path, emptyFile(), [], now);
      throw error;
    }
    const parsed = parseTokensFile(text);
    if (parsed) return new TokenRegistry(path, parsed, [], now);
    const keptAs = `${path}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
    await rename(path, keptAs);
    const warning = `The token registry ${path} could not be read; it was kept as ${keptAs} and the list starts empty. Rotate the JWT key if tokens had been revoked.`;
    return new TokenRegistry(path, emptyFile(), [warning], now);
  }

  /** Generated tokens, newest first. */
  list(): TokenRecord[] {
    // Reversed insertion order first, so that records created in the same millisecond still list newest first.
    return [...this.#records.values()]
      .reverse()
      .map((record) => ({ ...record }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async add(record: NewTokenRecord): Promise<TokenRecord> {
    const full: TokenRecord = { ...record, createdAt: new Date(this.#now()).toISOString(), lastUsedAt: null };
    tokenRecordSchema.parse(full);
    this.#records.set(full.jti, full);
    await this.#persist();
    return { ...full };
  }

  /** Unknown jti → false. The jti stays in the revoked set after the record leaves the list. */
  async revoke(jti: string): Promise<boolean> {
    if (!this.#records.delete(jti)) return false;
    this.#revoked.add(jti);
    await this.#persist();
    return true;
  }

  /** Hot path, called for every authenticated request. */
  isRevoked(jti: string): boolean {
    return this.#revoked.has(jti);
  }

  /**
   * A listed generated token (not revoked). Generated tokens outlive their owner's password changes, since
   * they are listed and revocable one by one; login tokens do not (docs/compatibility.md §2.4 #20).
   */
  isGenerated(jti: string): boolean {
    return this.#records.has(jti);
  }

  /**
   * Key rotation: tokens signed with the old key fail signature checks once the API runs with the
   * new one, so the records and individual revocations can go. (Until that restart, the listener
   * still holding the old key refuses them by issue time: see ApiController.rotateKey.)
   */
  async revokeAll(): Promise<void> {
    this.#records.clear();
    this.#revoked.clear();
    await this.#persist();
  }

  /**
   * A deleted user's records go. Their jtis are revoked as well: should a user with the same name be
   * created later, the old non-expiring tokens must not come back to life.
   */
  async removeOwner(name: string): Promise<void> {
    let changed = false;
    for (const record of [...this.#records.values()]) {
      if (record.owner !== name) continue;
      this.#records.delete(record.jti);
      this.#revoked.add(record.jti);
      changed = true;
    }
    if (changed) await this.#persist();
  }

  /** Notes a use of a generated token. Unknown jtis (login tokens) are ignored. Persisted lazily. */
  markUsed(jti: string): void {
    const record = this.#records.get(jti);
    if (!record) return;
    record.lastUsedAt = new Date(this.#now()).toISOString();
    if (this.#lastUsedTimer) return;
    this.#lastUsedTimer = setTimeout(() => {
      this.#lastUsedTimer = null;
      this.#persist().catch(() => undefined); // a failed lazy write is retried by the next change or flush()
    }, LAST_USED_PERSIST_DELAY_MS);
    // A pending "last used" write must not keep the process alive; flush() on shutdown covers it.
    this.#lastUsedTimer.unref();
  }

  /** Writes pending changes now (on shutdown); resolves when the file is current. */
  async flush(): Promise<void> {
    if (this.#lastUsedTimer) {
      clearTimeout(this.#lastUsedTimer);
      this.#lastUsedTimer = null;
      await this.#persist();
    }
    await this.#writes;
  }

  /** Writes are chained so two changes in flight cannot land in the wrong order. */
  #persist(): Promise<void> {
    const write = this.#writes.then(() => writeFileAtomic(this.path, this.#serialise(), { mode: 0o600 }));
    this.#writes = write.catch(() => undefined);
    return write;
  }

  #serialise(): string {
    const file: TokensFile = {
      version: 1,
      records: [...this.#records.values()],
      revoked: [...this.#revoked],
    };
    return `${JSON.stringify(file, null, 2)}\n`;
  }
}

function emptyFile(): TokensFile {
  return { version: 1, records: [], revoked: [] };
}

function parseTokensFile(text: string): TokensFile | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = tokensFileSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
