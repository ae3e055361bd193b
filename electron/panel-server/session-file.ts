/**
 * `<dataDir>/panel-sessions.json`: the panel sessions of `campanel serve`, so a restart on the same port does
 * not log every browser out. It holds a SHA-256 of each session id (never the id), the user name and two
 * times; mode 0600, replaced atomically. Writes are coalesced: one in flight, at most one more queued with
 * the newest rows. An unreadable or malformed file is ignored with a warning: nobody gets in without a link.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write.js';

export const SESSION_FILE_NAME = 'panel-sessions.json';

const storedSessionSchema = z.strictObject({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  userName: z.string().max(200).nullable(),
  createdAt: z.number().int().nonnegative(),
  lastSeen: z.number().int().nonnegative(),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

const fileSchema = z.strictObject({ version: z.literal(1), sessions: z.array(storedSessionSchema).max(10_000) });

export interface SessionFileLogger {
  warn(object: object, message: string): void;
}

export class SessionFile {
  #pending: StoredSession[] | null = null;
  #writing: Promise<void> | null = null;

  constructor(
    readonly path: string,
    private readonly logger: SessionFileLogger,
  ) {}

  /** The stored sessions; none when the file is missing, unreadable or malformed. */
  async load(): Promise<StoredSession[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn({ path: this.path, code: (error as NodeJS.ErrnoException).code }, 'panel sessions file unreadable: ignored');
      return [];
    }
    let parsed: ReturnType<typeof fileSchema.safeParse>;
    try {
      parsed = fileSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = fileSchema.safeParse(undefined);
    }
    if (!parsed.success) {
      this.logger.warn({ path: this.path }, 'panel sessions file is not valid: ignored, every browser needs a new panel link');
      return [];
    }
    return parsed.data.sessions;
  }

  /** Stores `rows` soon; a later call before the write starts replaces them. */
  save(rows: StoredSession[]): void {
    this.#pending = rows;
    if (!this.#writing) this.#writing = this.#drain();
  }

  /** Resolves once every row handed to save() is on disk (or its write failed and was logged). */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending) {
        const rows = this.#pending;
        this.#pending = null;
        const text = `${JSON.stringify({ version: 1, sessions: rows })}\n`;
        await writeFileAtomic(this.path, text, { mode: 0o600 }).catch((error: unknown) => {
          this.logger.warn({ path: this.path, err: error instanceof Error ? error.message : String(error) }, 'panel sessions not saved');
        });
      }
    } finally {
      this.#writing = null;
    }
  }
}
