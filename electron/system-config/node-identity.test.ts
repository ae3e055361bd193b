import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { __faultInjection } from '../util/atomic-write.js';
import { NODE_FILE, NodeIdentity } from './node-identity.js';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-node-'));
  path = join(dir, NODE_FILE);
});

afterEach(async () => {
  __faultInjection.beforeRename = null;
  await rm(dir, { recursive: true, force: true });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OTHER = '6f1c2b9e-8d3a-4c5b-9e7f-0a1b2c3d4e5f';
const THIRD = '11111111-2222-4333-8444-555555555555';
const onDisk = async () => JSON.parse(await readFile(path, 'utf8'));
const backups = async () => (await readdir(dir)).filter((name) => name.startsWith(`${NODE_FILE}.bak-`));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('NodeIdentity', () => {
  it('is created once with the host name and a random UUID, and kept across restarts', async () => {
    const first = await NodeIdentity.open(dir);
    expect(first.self()).toEqual({ name: hostname().trim() || 'campanel', uuid: expect.stringMatching(UUID) as string });
    expect(first.warnings).toEqual([]);
    expect(await onDisk()).toEqual({ ...first.self(), registered: [] });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const again = await NodeIdentity.open(dir);
    expect(again.self()).toEqual(first.self());
    const elsewhere = await mkdtemp(join(tmpdir(), 'campanel-node-other-'));
    try {
      expect((await NodeIdentity.open(elsewhere)).self().uuid).not.toBe(first.self().uuid);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('creates a missing data directory', async () => {
    const nested = join(dir, 'a', 'b');
    const identity = await NodeIdentity.open(nested);
    expect(JSON.parse(await readFile(join(nested, NODE_FILE), 'utf8')).uuid).toBe(identity.self().uuid);
  });

  it('registers and removes other nodes; all() lists this node first', async () => {
    const identity = await NodeIdentity.open(dir);
    expect(await identity.register('  cam-2  ', OTHER.toUpperCase())).toEqual({ name: 'cam-2', uuid: OTHER });
    await identity.register('cam-3', THIRD);
    expect(identity.all()).toEqual([identity.self(), { name: 'cam-2', uuid: OTHER }, { name: 'cam-3', uuid: THIRD }]);
    expect((await NodeIdentity.open(dir)).registered()).toEqual([{ name: 'cam-2', uuid: OTHER }, { name: 'cam-3', uuid: THIRD }]);
    await identity.remove(OTHER.toUpperCase());
    expect(identity.registered()).toEqual([{ name: 'cam-3', uuid: THIRD }]);
    expect((await onDisk()).registered).toEqual([{ name: 'cam-3', uuid: THIRD }]);
  });

  it('refuses a duplicate UUID, its own UUID, bad input, and removing an unknown node', async () => {
    const identity = await NodeIdentity.open(dir);
    await identity.register('cam-2', OTHER);
    const before = await readFile(path, 'utf8');
    expect(await rejection(identity.register('again', OTHER.toUpperCase()))).toMatchObject({ code: 'conflict', message: 'A node with this UUID is already registered' });
    expect(await rejection(identity.register('me', identity.self().uuid))).toMatchObject({ code: 'conflict', message: 'This is the UUID of this node' });
    expect(await rejection(identity.register('x', 'not-a-uuid'))).toMatchObject({ code: 'invalid', fields: { uuid: expect.any(String) as string } });
    expect(await rejection(identity.register('   ', THIRD))).toMatchObject({ code: 'invalid', fields: { name: 'Enter a name' } });
    expect(await rejection(identity.register('n'.repeat(101), THIRD))).toMatchObject({ code: 'invalid', fields: { name: expect.stringMatching(/at most 100/) as string } });
    expect(await rejection(identity.remove(THIRD))).toMatchObject({ code: 'not_found' });
    expect(await rejection(identity.remove(identity.self().uuid))).toMatchObject({ code: 'not_found' });
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('parallel registrations are all kept, duplicates refused once', async () => {
    const identity = await NodeIdentity.open(dir);
    const results = await Promise.allSettled([identity.register('a', OTHER), identity.register('b', THIRD), identity.register('c', OTHER)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((await onDisk()).registered.map((node: { name: string }) => node.name)).toEqual(['a', 'b']);
  });

  it('a failed write changes nothing in memory', async () => {
    const identity = await NodeIdentity.open(dir);
    __faultInjection.beforeRename = () => {
      throw new Error('disk gone');
    };
    await expect(identity.register('cam-2', OTHER)).rejects.toThrow('disk gone');
    __faultInjection.beforeRename = null;
    expect(identity.registered()).toEqual([]);
    expect((await onDisk()).registered).toEqual([]);
  });

  describe('a damaged file', () => {
    it('keeps the UUID and name when they can be read, backs the file up and recreates it', async () => {
      const damaged = JSON.stringify({ name: 'pi-kitchen', uuid: OTHER.toUpperCase(), registered: 'oops' });
      await writeFile(path, damaged);
      const identity = await NodeIdentity.open(dir);
      expect(identity.self()).toEqual({ name: 'pi-kitchen', uuid: OTHER });
      expect(identity.warnings[0]).toBe(`${NODE_FILE} was damaged; it was recreated with the same UUID`);
      const [backup] = await backups();
      expect(await readFile(join(dir, backup ?? ''), 'utf8')).toBe(damaged);
      expect(await onDisk()).toEqual({ name: 'pi-kitchen', uuid: OTHER, registered: [] });
      expect((await NodeIdentity.open(dir)).warnings).toEqual([]);
    });

    it('gets a new UUID when none can be read', async () => {
      for (const damaged of ['{"uuid": "6f1c2b9e-', '[]', JSON.stringify({ uuid: 'nope', name: 'n', registered: [] }), '']) {
        await rm(path, { force: true });
        await writeFile(path, damaged);
        const identity = await NodeIdentity.open(dir);
        expect(identity.self().uuid).toMatch(UUID);
        expect(identity.warnings[0]).toBe(`${NODE_FILE} was damaged; this node got a new UUID`);
        expect((await onDisk()).uuid).toBe(identity.self().uuid);
      }
      expect(await backups()).toHaveLength(4);
    });

    it('treats a registered copy of its own UUID as damage', async () => {
      await writeFile(path, JSON.stringify({ name: 'n', uuid: OTHER, registered: [{ name: 'x', uuid: OTHER.toUpperCase() }] }));
      const identity = await NodeIdentity.open(dir);
      expect(identity.self().uuid).toBe(OTHER);
      expect(identity.registered()).toEqual([]);
    });

    it('a path that cannot be read is not overwritten; registering says why', async () => {
      await mkdir(path);
      const identity = await NodeIdentity.open(dir);
      expect(identity.self().uuid).toMatch(UUID);
      expect(identity.warnings[0]).toMatch(/could not be read \(EISDIR\)/);
      expect(await rejection(identity.register('x', OTHER))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/cannot be saved/) as string });
      expect((await stat(path)).isDirectory()).toBe(true);
    });
  });
});
