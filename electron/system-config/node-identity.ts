/**
 * This installation's node identity for GET /system/nodes: a name and a UUID created once and kept in
 * `<dataDir>/node.json` (mode 0600, replaced atomically), plus the nodes an admin registered by hand.
 * privacyIDEA registers each server at start; CamPanel is one server, so other nodes are only ever listed.
 *
 * The UUID must survive restarts: a damaged file is copied aside and recreated with a warning, keeping the
 * UUID (and name) when they can still be read from it.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { LIMITS, nodeNameSchema, nodeUuidSchema, type NodeInfo } from '../../shared/domain.js';
import { DomainError } from '../core/errors.js';
import { backUpBeside } from '../util/backup-copy.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export const NODE_FILE = 'node.json';

const nodeRecordSchema = z.strictObject({ name: nodeNameSchema, uuid: nodeUuidSchema });
const nodeFileSchema = z.strictObject({ name: nodeNameSchema, uuid: nodeUuidSchema, registered: z.array(nodeRecordSchema) });
type NodeFile = z.infer<typeof nodeFileSchema>;

const errorReason = (error: unknown): string =>
  error instanceof Error ? ('code' in error && typeof error.code === 'string' ? error.code : error.message) : String(error);

/** The host's name as a node name; a host without a usable one gets a fixed name. */
function defaultName(): string {
  const name = hostname().trim().slice(0, LIMITS.label);
  return name.length > 0 ? name : 'campanel';
}

/** Whatever of a damaged file can still be trusted: its uuid and name, each only if valid. */
function salvage(text: string): { name?: string; uuid?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) return {};
  const record = json as Record<string, unknown>;
  const uuid = nodeUuidSchema.safeParse(record.uuid);
  const name = nodeNameSchema.safeParse(record.name);
  return { ...(uuid.success ? { uuid: uuid.data.toLowerCase() } : {}), ...(name.success ? { name: name.data } : {}) };
}

const write = (path: string, file: NodeFile): Promise<void> => writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });

export class NodeIdentity {
  readonly path: string;
  #file: NodeFile;
  readonly #warnings: string[];
  /** Set when the file exists but could not be read or backed up: it is then never overwritten. */
  readonly #notWritable: string | null;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, file: NodeFile, warnings: string[], notWritable: string | null) {
    this.path = path;
    this.#file = file;
    this.#warnings = warnings;
    this.#notWritable = notWritable;
  }

  /** Creates the identity on first start. Never throws for a damaged file; it becomes a warning. */
  static async open(dataDir: string): Promise<NodeIdentity> {
    const path = join(dataDir, NODE_FILE);
    let text: string | null = null;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) {
        const reason = `${NODE_FILE} could not be read (${errorReason(error)})`;
        const file: NodeFile = { name: defaultName(), uuid: randomUUID(), registered: [] };
        return new NodeIdentity(path, file, [`${reason}; this node has a temporary UUID until it can be read`], `${reason}, so it is not overwritten`);
      }
    }
    if (text !== null) {
      const parsed = parseNodeFile(text);
      if (parsed) return new NodeIdentity(path, parsed, [], null);
    }

    const warnings: string[] = [];
    const kept = text === null ? {} : salvage(text);
    if (text !== null) {
      warnings.push(
        kept.uuid ? `${NODE_FILE} was damaged; it was recreated with the same UUID` : `${NODE_FILE} was damaged; this node got a new UUID`,
      );
      try {
        warnings.push(`The damaged file was kept as ${await backUpBeside(path)}`);
      } catch (error) {
        const reason = `${NODE_FILE} could not be backed up (${errorReason(error)}), so it was left as it is`;
        const file: NodeFile = { name: kept.name ?? defaultName(), uuid: kept.uuid ?? randomUUID(), registered: [] };
        return new NodeIdentity(path, file, [...warnings, reason], `${reason} and is not overwritten`);
      }
    }
    const file: NodeFile = { name: kept.name ?? defaultName(), uuid: kept.uuid ?? randomUUID(), registered: [] };
    try {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      await write(path, file);
    } catch (error) {
      warnings.push(`${NODE_FILE} could not be saved (${errorReason(error)}); this node's UUID lasts until the next start`);
    }
    return new NodeIdentity(path, file, warnings, null);
  }

  get warnings(): readonly string[] {
    return [...this.#warnings];
  }

  self(): NodeInfo {
    return { name: this.#file.name, uuid: this.#file.uuid };
  }

  registered(): NodeInfo[] {
    return this.#file.registered.map((node) => ({ ...node }));
  }

  /** This node first, then the registered ones in the order they were added. */
  all(): NodeInfo[] {
    return [this.self(), ...this.registered()];
  }

  async register(name: string, uuid: string): Promise<NodeInfo> {
    const node = { name: check(nodeNameSchema, name, 'name'), uuid: check(nodeUuidSchema, uuid, 'uuid').toLowerCase() };
    return this.#mutate((file) => {
      if (node.uuid === file.uuid) throw conflict('This is the UUID of this node');
      if (file.registered.some((other) => other.uuid === node.uuid)) throw conflict('A node with this UUID is already registered');
      return { file: { ...file, registered: [...file.registered, node] }, result: { ...node } };
    });
  }

  async remove(uuid: string): Promise<void> {
    const wanted = uuid.toLowerCase();
    return this.#mutate((file) => {
      if (!file.registered.some((node) => node.uuid === wanted)) throw new DomainError('not_found', 'No registered node has this UUID');
      return { file: { ...file, registered: file.registered.filter((node) => node.uuid !== wanted) }, result: undefined };
    });
  }

  /** One change at a time; memory changes only after the file was written. */
  #mutate<T>(change: (file: NodeFile) => { file: NodeFile; result: T }): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.#notWritable) throw new DomainError('conflict', `The node list cannot be saved: ${this.#notWritable}`);
      const { file, result } = change(this.#file);
      await write(this.path, file);
      this.#file = file;
      return result;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

function parseNodeFile(text: string): NodeFile | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = nodeFileSchema.safeParse(json);
  if (!parsed.success) return null;
  const file = parsed.data;
  const uuids = [file.uuid, ...file.registered.map((node) => node.uuid)].map((uuid) => uuid.toLowerCase());
  if (new Set(uuids).size !== uuids.length) return null;
  return { ...file, uuid: uuids[0] ?? file.uuid, registered: file.registered.map((node, i) => ({ ...node, uuid: uuids[i + 1] ?? node.uuid })) };
}

const conflict = (message: string): DomainError => new DomainError('conflict', message, { uuid: message });

function check<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'Not valid';
  throw new DomainError('invalid', message, { [field]: message });
}
