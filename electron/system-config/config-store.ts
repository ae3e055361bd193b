/**
 * The /system configuration entries (privacyIDEA's config table), kept in `<dataDir>/system-config.json`
 * (mode 0600). The file is replaced atomically as a whole, so a crash or kill -9 at any moment leaves the old
 * state or the new one, and one apply() is one write: a request is stored entirely or not at all.
 *
 * Changes run one at a time, in order, each starting from the state the previous one left. A file that cannot
 * be parsed at start is copied aside (`system-config.json.bak-<time>`) and the store starts empty with a
 * warning: the camera server keeps running, and the bytes are kept for whoever wants to recover them.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { TIMESTAMP_KEY } from '../../shared/domain.js';
import { DomainError } from '../core/errors.js';
import { backUpBeside } from '../util/backup-copy.js';
import { removeAbandonedTempFiles, writeFileAtomic } from '../util/atomic-write.js';

export const SYSTEM_CONFIG_FILE = 'system-config.json';
const FORMAT = 'campanel-system-config';
const VERSION = 1;

export interface ConfigEntry {
  /** Password-typed entries hold the ciphertext here. */
  value: string | null;
  type: string;
  desc: string;
}

const entrySchema = z.strictObject({ value: z.string().nullable(), type: z.string(), desc: z.string() });

/** The state a change works on: reads see the change's own earlier writes. */
export interface ConfigDraft {
  get(key: string): ConfigEntry | undefined;
  has(key: string): boolean;
  keys(): string[];
  set(key: string, entry: ConfigEntry): void;
  /** True when the key existed. */
  delete(key: string): boolean;
}

type Entries = ReadonlyMap<string, Readonly<ConfigEntry>>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const errorReason = (error: unknown): string =>
  error instanceof Error ? ('code' in error && typeof error.code === 'string' ? error.code : error.message) : String(error);

/** The entries of a parsed file, or why it is not one. A Map, so keys such as `__proto__` stay plain keys. */
function parseFile(text: string): { entries: Map<string, ConfigEntry> } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: `not valid JSON (${errorReason(error)})` };
  }
  if (!isObject(json) || json.format !== FORMAT) return { problem: 'not a CamPanel system config file' };
  if (json.version !== VERSION) return { problem: `version ${JSON.stringify(json.version)} is not supported` };
  if (!isObject(json.entries)) return { problem: 'it holds no entries object' };
  const entries = new Map<string, ConfigEntry>();
  for (const [key, raw] of Object.entries(json.entries)) {
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) return { problem: `the entry ${JSON.stringify(key.slice(0, 60))} is not valid` };
    entries.set(key, entry.data);
  }
  return { entries };
}

const serialise = (entries: Entries): string =>
  `${JSON.stringify({ format: FORMAT, version: VERSION, entries: Object.fromEntries(entries) }, null, 2)}\n`;

export class SystemConfigStore {
  readonly path: string;
  #entries: Entries;
  readonly #warnings: string[];
  /** Set when an unreadable file could not be backed up: it is then never overwritten, and writes say why. */
  readonly #notWritable: string | null;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<() => void>();

  private constructor(path: string, entries: Entries, warnings: string[], notWritable: string | null) {
    this.path = path;
    this.#entries = entries;
    this.#warnings = warnings;
    this.#notWritable = notWritable;
  }

  /** Never throws for the file's content or readability; problems become `warnings`. */
  static async open(dataDir: string): Promise<SystemConfigStore> {
    const path = join(dataDir, SYSTEM_CONFIG_FILE);
    // A writer killed between writing its temp file and renaming it leaves the temp file behind.
    await removeAbandonedTempFiles(path).catch(() => undefined);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return new SystemConfigStore(path, new Map(), [], null);
      const reason = `${SYSTEM_CONFIG_FILE} could not be read (${errorReason(error)})`;
      return new SystemConfigStore(path, new Map(), [`${reason}; starting with no entries`], `${reason}, so it is not overwritten`);
    }
    const parsed = parseFile(text);
    if ('entries' in parsed) return new SystemConfigStore(path, parsed.entries, [], null);

    const warnings = [`${SYSTEM_CONFIG_FILE} was ${parsed.problem}; starting with no entries`];
    let backupPath: string;
    try {
      backupPath = await backUpBeside(path);
    } catch (error) {
      const reason = `${SYSTEM_CONFIG_FILE} could not be backed up (${errorReason(error)}), so it was left as it is`;
      return new SystemConfigStore(path, new Map(), [...warnings, reason], `${reason} and is not overwritten`);
    }
    warnings.push(`The unreadable file was kept as ${backupPath}`);
    const store = new SystemConfigStore(path, new Map(), warnings, null);
    try {
      // Replaced now, so the next start does not warn and back up the same bytes again.
      await writeFileAtomic(path, serialise(store.#entries), { mode: 0o600 });
    } catch (error) {
      warnings.push(`The empty config could not be saved (${errorReason(error)}); the next change writes it`);
    }
    return store;
  }

  /** Problems found at open, for the panel. */
  get warnings(): readonly string[] {
    return [...this.#warnings];
  }

  get(key: string): ConfigEntry | undefined {
    const entry = this.#entries.get(key);
    return entry ? { ...entry } : undefined;
  }

  /** Every entry in stored order (the order keys were first written), __timestamp__ included. */
  entries(): Array<[string, ConfigEntry]> {
    return [...this.#entries].map(([key, entry]) => [key, { ...entry }]);
  }

  /**
   * Runs `change` after every earlier change has finished, on a draft of the current state. If it set or
   * deleted anything, the whole new state (with __timestamp__ bumped) is written in one atomic write and
   * only then becomes the state in memory. A change that throws, or a write that fails, leaves file and
   * memory as they were; a change that touched nothing writes nothing.
   */
  apply<T>(change: (draft: ConfigDraft) => T | Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.#notWritable) throw new DomainError('conflict', `The system config cannot be saved: ${this.#notWritable}`);
      const next = new Map(this.#entries);
      let touched = false;
      const draft: ConfigDraft = {
        get: (key) => {
          const entry = next.get(key);
          return entry ? { ...entry } : undefined;
        },
        has: (key) => next.has(key),
        keys: () => [...next.keys()],
        set: (key, entry) => {
          next.set(key, { value: entry.value, type: entry.type, desc: entry.desc });
          touched = true;
        },
        delete: (key) => {
          const existed = next.delete(key);
          touched ||= existed;
          return existed;
        },
      };
      const result = await change(draft);
      if (!touched) return result;
      const previous = next.get(TIMESTAMP_KEY);
      next.set(TIMESTAMP_KEY, { value: String(Date.now() / 1000), type: previous?.type ?? '', desc: previous?.desc ?? '' });
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.path, serialise(next), { mode: 0o600 });
      this.#entries = next;
      this.#notify();
      return result;
    };
    const next = this.#queue.then(run, run);
    // The queue only orders work; a failure belongs to its caller, not to the changes queued after it.
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Called after every successful write; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #notify(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        // The write already succeeded; a failing listener must neither turn it into an error nor stop the others.
        process.emitWarning(`system config onChange listener failed: ${errorReason(error)}`);
      }
    }
  }
}
