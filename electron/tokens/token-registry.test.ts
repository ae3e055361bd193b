import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LAST_USED_PERSIST_DELAY_MS, TOKENS_FILE, TokenRegistry } from './token-registry.js';

let dataDir: string;
let clockMs: number;
const now = () => clockMs;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'campanel-tokens-'));
  clockMs = Date.UTC(2025, 1, 7, 20, 0, 0);
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dataDir, { recursive: true, force: true });
});

const open = () => TokenRegistry.open(dataDir, { now });
const fileJson = async (): Promise<Record<string, unknown>> => JSON.parse(await readFile(join(dataDir, TOKENS_FILE), 'utf8'));

describe('TokenRegistry', () => {
  it('starts empty without a file and writes nothing until a change', async () => {
    const registry = await open();
    expect(registry.list()).toEqual([]);
    expect(registry.warnings).toEqual([]);
    await expect(stat(join(dataDir, TOKENS_FILE))).rejects.toThrow();
  });

  it('adds records (newest first), persists them with mode 0600 and reloads them', async () => {
    const registry = await open();
    const first = await registry.add({ jti: 'j1', owner: 'alice', label: 'backup script' });
    clockMs += 1000;
    await registry.add({ jti: 'j2', owner: 'bob', label: '' });
    await registry.add({ jti: 'j3', owner: 'bob', label: 'same ms' });
    expect(first).toEqual({ jti: 'j1', owner: 'alice', label: 'backup script', createdAt: '2025-02-07T20:00:00.000Z', lastUsedAt: null });
    expect(registry.list().map((r) => r.jti)).toEqual(['j3', 'j2', 'j1']);
    expect((await stat(join(dataDir, TOKENS_FILE))).mode & 0o777).toBe(0o600);
    expect((await open()).list().map((r) => r.jti)).toEqual(['j3', 'j2', 'j1']);
  });

  it('revokes a known jti, keeps it revoked across reloads, and says false for unknown ones', async () => {
    const registry = await open();
    await registry.add({ jti: 'j1', owner: 'alice', label: '' });
    expect(await registry.revoke('nope')).toBe(false);
    expect(await registry.revoke('j1')).toBe(true);
    expect(registry.list()).toEqual([]);
    expect(registry.isRevoked('j1')).toBe(true);
    expect(registry.isRevoked('j2')).toBe(false);
    const reloaded = await open();
    expect(reloaded.isRevoked('j1')).toBe(true);
    expect(await reloaded.revoke('j1')).toBe(false);
  });

  it('revokeAll (key rotation) drops every record and revocation, on disk too', async () => {
    const registry = await open();
    await registry.add({ jti: 'j1', owner: 'alice', label: '' });
    await registry.add({ jti: 'j2', owner: 'alice', label: '' });
    await registry.revoke('j2');
    await registry.revokeAll();
    expect(registry.list()).toEqual([]);
    expect(registry.isRevoked('j2')).toBe(false); // the old key's tokens fail their signature instead
    expect(await fileJson()).toEqual({ version: 1, records: [], revoked: [] });
    expect((await open()).list()).toEqual([]);
  });

  it('removeOwner drops the owner’s records and revokes their jtis', async () => {
    const registry = await open();
    await registry.add({ jti: 'a1', owner: 'alice', label: '' });
    await registry.add({ jti: 'b1', owner: 'bob', label: '' });
    await registry.removeOwner('alice');
    expect(registry.list().map((r) => r.jti)).toEqual(['b1']);
    expect(registry.isRevoked('a1')).toBe(true);
    expect((await open()).isRevoked('a1')).toBe(true);
  });

  it('markUsed updates memory at once and the file at most every few seconds; flush writes now', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const registry = await open();
    await registry.add({ jti: 'j1', owner: 'alice', label: '' });
    clockMs += 60_000;
    registry.markUsed('j1');
    registry.markUsed('unknown-login-token');
    expect(registry.list()[0]?.lastUsedAt).toBe('2025-02-07T20:01:00.000Z');
    expect(await fileJson()).toMatchObject({ records: [{ lastUsedAt: null }] });
    await vi.advanceTimersByTimeAsync(LAST_USED_PERSIST_DELAY_MS);
    await registry.flush();
    expect(await fileJson()).toMatchObject({ records: [{ lastUsedAt: '2025-02-07T20:01:00.000Z' }] });
    clockMs += 1000;
    registry.markUsed('j1');
    await registry.flush();
    expect(await fileJson()).toMatchObject({ records: [{ lastUsedAt: '2025-02-07T20:01:01.000Z' }] });
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['wrong shape', '{"version":1,"records":[{"jti":1}],"revoked":[]}'],
    ['unknown version', '{"version":2,"records":[],"revoked":[]}'],
  ])('keeps a corrupt file (%s) aside and starts empty with a warning', async (_name, content) => {
    await writeFile(join(dataDir, TOKENS_FILE), content, { mode: 0o600 });
    const registry = await open();
    expect(registry.list()).toEqual([]);
    expect(registry.warnings).toHaveLength(1);
    const names = await readdir(dataDir);
    const kept = names.find((name) => name.startsWith(`${TOKENS_FILE}.corrupt-`));
    expect(kept).toBeDefined();
    expect(await readFile(join(dataDir, kept ?? ''), 'utf8')).toBe(content);
    expect(registry.warnings[0]).toContain(kept);
    await registry.add({ jti: 'j1', owner: 'a', label: '' });
    expect((await open()).list()).toHaveLength(1);
  });

  it('serialises concurrent changes: the file ends with all of them', async () => {
    const registry = await open();
    await Promise.all(Array.from({ length: 10 }, (_, i) => registry.add({ jti: `j${i}`, owner: 'a', label: '' })));
    expect((await open()).list()).toHaveLength(10);
  });
});
