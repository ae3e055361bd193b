/**
 * The panel's users, kept in `<dataDir>/users.json` (mode 0600, replaced atomically).
 *
 * raspiCamSrv semantics: the first user is an administrator and not "initial"; every user an admin adds
 * (or whose password an admin resets) is initial and must choose their own password before doing anything
 * else, including getting API tokens.
 *
 * Reads are served from memory; every change goes through one promise chain so two quick requests
 * cannot both start from the same state and lose one of the writes.
 *
 * Login tokens die with the user (docs/compatibility.md §2.4 #20): creating a user, changing or resetting a
 * password records `tokensValidFrom`, and the API refuses a login token issued before it. A record without
 * the field (files written before it existed, raspiCamSrv's users) accepts tokens from the beginning.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { passwordSchema, roleSchema, userNameSchema, type Role, type UserView } from '../../shared/domain.js';
import { DomainError } from '../core/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { hashPassword, verifyPassword as verifyHash } from './password.js';

export const USERS_FILE = 'users.json';

const userRecordSchema = z.strictObject({
  name: z.string().min(1),
  role: roleSchema,
  initial: z.boolean(),
  hash: z.string().min(1).max(1024),
  createdAt: z.string(),
  /** Login tokens issued before this instant (ISO 8601) are refused; absent: valid from the beginning. */
  tokensValidFrom: z.iso.datetime().optional(),
});
type UserRecord = z.infer<typeof userRecordSchema>;

const usersFileSchema = z
  .strictObject({ version: z.literal(1), users: z.array(userRecordSchema) })
  .refine((file) => new Set(file.users.map((u) => u.name)).size === file.users.length, 'a user name appears twice');

/*
 * Checked against when the user does not exist, so "unknown user" costs the same scrypt as "wrong password"
 * and the response time does not reveal which names exist. Its password is random and was never kept.
 */
const DUMMY_HASH = 'scrypt:32768:8:1$WcLg7Q7VQvQTgrdCIoEeJQ==$JhSHobUocjxnqttGQxQBRDrsaDFrLKrOfWbYeJT+5N0=';

/** `locked` is the login limiters' business: operations/users.ts fills it in for the panel. */
const toView = (user: UserRecord): UserView => ({
  name: user.name,
  role: user.role,
  initial: user.initial,
  locked: false,
});

/** Validates a value with a domain schema; the message goes beside the form field `field`. */
function check<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'Not valid';
  throw new DomainError('invalid', message, { [field]: message });
}

export class UserStore {
  readonly path: string;
  #users: readonly UserRecord[] = [];
  /** Name → tokensValidFrom in ms, for the API's check on every request (no parsing on the hot path). */
  #validFrom = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<() => void>();

  private constructor(path: string, users: readonly UserRecord[]) {
    this.path = path;
    this.#setUsers(users);
  }

  /**
   * Loads the user file. A missing file means "no users yet" (first run). A file that exists but cannot be
   * read or parsed is refused and left untouched: replacing it would silently reopen first-run admin creation.
   */
  static async open(dataDir: string): Promise<UserStore> {
    const path = join(dataDir, USERS_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return new UserStore(path, []);
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'read error';
      throw new DomainError('conflict', `The user file ${path} could not be read (${reason})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DomainError('conflict', `The user file ${path} is not valid JSON; it was left unchanged`);
    }
    const parsed = usersFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new DomainError(
        'conflict',
        `The user file ${path} is not valid (${issue?.message ?? 'unexpected content'}${where}); it was left unchanged`,
      );
    }
    return new UserStore(path, parsed.data.users);
  }

  hasUsers(): boolean {
    return this.#users.length > 0;
  }

  /** All users in creation order. */
  list(): UserView[] {
    return this.#users.map((user) => toView(user));
  }

  /** Case-sensitive, as names are stored. */
  get(name: string): UserView | null {
    const user = this.#find(name);
    return user ? toView(user) : null;
  }

  /** First run only: once any user exists this path is closed for good. */
  async createFirstAdmin(name: string, password: string): Promise<UserView> {
    check(userNameSchema, name, 'name');
    check(passwordSchema, password, 'password');
    if (this.hasUsers()) throw new DomainError('forbidden', 'An administrator already exists');
    const hash = await hashPassword(password);
    return this.#mutate((users) => {
      // Checked again inside the queue: two first-run requests may both have passed the check above.
      if (users.length > 0) throw new DomainError('forbidden', 'An administrator already exists');
      const now = new Date().toISOString();
      const user: UserRecord = { name, role: 'admin', initial: false, hash, createdAt: now, tokensValidFrom: now };
      return { users: [user], result: toView(user) };
    });
  }

  /** A user added by an admin is initial: the admin knows the password, so the user must replace it. */
  async add(name: string, role: Role, password: string): Promise<UserView> {
    check(userNameSchema, name, 'name');
    check(roleSchema, role, 'role');
    check(passwordSchema, password, 'password');
    this.#refuseDuplicate(this.#users, name);
    const hash = await hashPassword(password);
    return this.#mutate((users) => {
      this.#refuseDuplicate(users, name);
      // A new user under an old name must not inherit the old user's tokens.
      const now = new Date().toISOString();
      const user: UserRecord = { name, role, initial: true, hash, createdAt: now, tokensValidFrom: now };
      return { users: [...users, user], result: toView(user) };
    });
  }

  /**
   * When the user's login tokens start to be valid (ms since the epoch), or null for "from the beginning".
   * A token whose `iat` second is not wholly after it is refused: `iat` has one-second resolution, so a
   * token of the same second may have been issued before the change.
   */
  tokensValidFrom(name: string): number | null {
    return this.#validFrom.get(name) ?? null;
  }

  /** The user for these credentials, or null. Unknown names cost the same time as wrong passwords. */
  async verifyPassword(name: string, password: string): Promise<UserView | null> {
    const user = this.#find(name);
    const matches = await verifyHash(password, user?.hash ?? DUMMY_HASH);
    return user && matches ? toView(user) : null;
  }

  /** The user's own change: proves the current password, and ends the initial state. */
  async changePassword(name: string, currentPassword: string, newPassword: string): Promise<UserView> {
    check(passwordSchema, newPassword, 'newPassword');
    return this.#mutate(async (users) => {
      // Inside the queue so the current password is checked against the hash that is about to be replaced.
      const user = this.#require(users, name);
      if (!(await verifyHash(currentPassword, user.hash))) {
        throw new DomainError('invalid', 'Current password is not correct', {
          currentPassword: 'Current password is not correct',
        });
      }
      if (newPassword === currentPassword) {
        const message = 'The new password must be different from the current one';
        throw new DomainError('invalid', message, { newPassword: message });
      }
      const hash = await hashPassword(newPassword);
      const updated: UserRecord = { ...user, hash, initial: false, tokensValidFrom: new Date().toISOString() };
      return { users: users.map((u) => (u === user ? updated : u)), result: toView(updated) };
    });
  }

  /** An admin sets a password for someone else; since the admin knows it, the user becomes initial again. */
  async resetPassword(name: string, newPassword: string): Promise<UserView> {
    check(passwordSchema, newPassword, 'password');
    this.#require(this.#users, name);
    const hash = await hashPassword(newPassword);
    return this.#mutate((users) => {
      const user = this.#require(users, name);
      const updated: UserRecord = { ...user, hash, initial: true, tokensValidFrom: new Date().toISOString() };
      return { users: users.map((u) => (u === user ? updated : u)), result: toView(updated) };
    });
  }

  /** Never yourself (you would lock yourself out mid-session), never the last admin (nobody could manage users). */
  async remove(name: string, actingUser: string): Promise<void> {
    return this.#mutate((users) => {
      if (name === actingUser) throw new DomainError('forbidden', 'You cannot remove yourself');
      const user = this.#require(users, name);
      if (user.role === 'admin' && users.filter((u) => u.role === 'admin').length <= 1) {
        throw new DomainError('forbidden', 'At least one administrator must remain');
      }
      return { users: users.filter((u) => u !== user), result: undefined };
    });
  }

  /** Called after every successful write; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #setUsers(users: readonly UserRecord[]): void {
    this.#users = users;
    this.#validFrom = new Map(
      users.flatMap((user) => (user.tokensValidFrom === undefined ? [] : [[user.name, Date.parse(user.tokensValidFrom)] as const])),
    );
  }

  #find(name: string): UserRecord | undefined {
    return this.#users.find((u) => u.name === name);
  }

  #require(users: readonly UserRecord[], name: string): UserRecord {
    const user = users.find((u) => u.name === name);
    if (!user) throw new DomainError('not_found', `User ${name} does not exist`);
    return user;
  }

  #refuseDuplicate(users: readonly UserRecord[], name: string): void {
    if (users.some((u) => u.name === name)) {
      const message = `User ${name} already exists`;
      throw new DomainError('conflict', message, { name: message });
    }
  }

  /**
   * Runs `change` after every earlier change has finished, writes its result, and only then makes it the
   * in-memory state: a failed write leaves memory and file as they were.
   */
  #mutate<T>(
    change: (users: readonly UserRecord[]) =>
      | { users: readonly UserRecord[]; result: T }
      | Promise<{ users: readonly UserRecord[]; result: T }>,
  ): Promise<T> {
    const run = async (): Promise<T> => {
      const { users, result } = await change(this.#users);
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const data = `${JSON.stringify({ version: 1, users }, null, 2)}\n`;
      await writeFileAtomic(this.path, data, { mode: 0o600 });
      this.#setUsers(users);
      this.#notify();
      return result;
    };
    const next = this.#queue.then(run, run);
    // The queue only orders work; a failure belongs to its caller, not to the changes queued after it.
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #notify(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        // The write already succeeded; a failing listener must neither turn it into an error nor stop the others.
        process.emitWarning(`users onChange listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
