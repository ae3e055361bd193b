import { describe, expect, it } from 'vitest';
import {
  apiBanner,
  MSG_ACTIVATE,
  MSG_ACTIVE,
  MSG_DEACTIVATE,
  MSG_LOCKED_INACTIVE,
  MSG_NOT_ACTIVE,
  MSG_STILL_RUNNING,
  type ApiStatusInput,
  type RunningApi,
  type SecretsCheck,
} from './api-status.js';
import type { ApiSettings, Banner } from './domain.js';

const PATH = '/home/pi/.secrets/campanel.secrets';
const KEY_ID = 'a1b2c3d4e5f60718';
const URLS = ['http://192.168.1.20:5000/api'];
const SECRETS_ERROR = '/home/pi/.secrets/campanel.secrets is a directory, not a file';
const SECRETS_MISSING = 'secrets file missing: /home/pi/.secrets/campanel.secrets';
const SECRETS_LOCKED = 'Secrets locked: unlock the secrets file (Settings → API, `campanel secrets unlock`, or POST /system/hsm)';
const START_ERROR = 'port 5000 is already in use';
const FAILED = `. The last restart failed: ${START_ERROR}`;

type SecretsState = SecretsCheck['state'];
type RunningVariant = 'no' | 'same' | 'lifetimes' | 'path' | 'address' | 'key';

interface Combination {
  allow: boolean;
  pathSet: boolean;
  secrets: SecretsState;
  running: RunningVariant;
  failed: boolean;
}

function inputFor(c: Combination): ApiStatusInput {
  const stored: ApiSettings = {
    secretsFilePath: c.pathSet ? PATH : '',
    accessTokenMinutes: 60,
    refreshTokenDays: 0,
    host: '0.0.0.0',
    port: 5000,
  };
  const checks: Record<SecretsState, SecretsCheck> = {
    none: { state: 'none' },
    ok: { state: 'ok', keyId: KEY_ID },
    missing: { state: 'missing', message: SECRETS_MISSING },
    locked: { state: 'locked', message: SECRETS_LOCKED },
    error: { state: 'error', message: SECRETS_ERROR },
  };
  const secrets = checks[c.secrets];
  const runningSettings: Record<Exclude<RunningVariant, 'no'>, ApiSettings> = {
    same: stored,
    key: stored,
    lifetimes: { ...stored, accessTokenMinutes: 15 },
    path: { ...stored, secretsFilePath: '/home/pi/old.secrets' },
    address: { ...stored, port: 5001 },
  };
  const running: RunningApi | null =
    c.running === 'no' ? null : { settings: runningSettings[c.running], keyId: c.running === 'key' ? 'ffffffffffffffff' : KEY_ID, urls: URLS };
  return { allowApi: c.allow, stored, secrets, running, startError: c.failed ? START_ERROR : null };
}

const yellow = (message: string): Banner => ({ colour: 'yellow', message, restartButton: true, newKeyButton: false, urls: [] });
const red = (message: string, restartButton = false): Banner => ({ colour: 'red', message, restartButton, newKeyButton: false, urls: [] });
/** The configured file is gone: no restart (it would not create a key), the two choices instead. */
const missing = (message: string): Banner => ({ colour: 'red', message, restartButton: false, newKeyButton: true, urls: [] });
const green: Banner = { colour: 'green', message: MSG_ACTIVE, restartButton: false, newKeyButton: false, urls: URLS };

/** A row matches a combination when every listed dimension contains its value; an omitted dimension matches anything. */
interface Row {
  allow?: boolean[];
  pathSet?: boolean[];
  secrets?: SecretsState[];
  running?: RunningVariant[];
  failed?: boolean[];
  expect: Banner | null;
}

const T = [true];
const F = [false];
const RUNNING: RunningVariant[] = ['same', 'lifetimes', 'path', 'address', 'key'];
const KEY_KNOWN: SecretsState[] = ['none', 'ok'];

const rows: Row[] = [
  // API not allowed and not running: the tab is hidden.
  { allow: F, running: ['no'], expect: null },
  // Running, but no longer allowed or the path cleared: restart to deactivate.
  { allow: F, running: RUNNING, failed: F, expect: yellow(MSG_DEACTIVATE) },
  { allow: F, running: RUNNING, failed: T, expect: yellow(MSG_DEACTIVATE + FAILED) },
  { allow: T, pathSet: F, running: RUNNING, failed: F, expect: yellow(MSG_DEACTIVATE) },
  { allow: T, pathSet: F, running: RUNNING, failed: T, expect: yellow(MSG_DEACTIVATE + FAILED) },
  // Allowed, no path, not running: the seed's "enabled but not active".
  { allow: T, pathSet: F, running: ['no'], expect: red(MSG_NOT_ACTIVE) },
  // A secrets error is shown verbatim, running or not, whatever the last start did.
  { allow: T, pathSet: T, secrets: ['error'], expect: red(SECRETS_ERROR) },
  // A passphrase-protected file not unlocked since start: red, no button (only the passphrase helps), whatever the
  // last start did; a listener that runs keeps its key.
  { allow: T, pathSet: T, secrets: ['locked'], running: ['no'], expect: red(`${SECRETS_LOCKED}. ${MSG_LOCKED_INACTIVE}`) },
  { allow: T, pathSet: T, secrets: ['locked'], running: RUNNING, expect: red(`${SECRETS_LOCKED}. ${MSG_STILL_RUNNING}`) },
  // The configured file vanished: red with its path and the two choices; a running listener is said to keep its key.
  { allow: T, pathSet: T, secrets: ['missing'], running: ['no'], expect: missing(SECRETS_MISSING) },
  { allow: T, pathSet: T, secrets: ['missing'], running: RUNNING, expect: missing(`${SECRETS_MISSING}. ${MSG_STILL_RUNNING}`) },
  // Path set but not checked, not running.
  { allow: T, pathSet: T, secrets: ['none'], running: ['no'], expect: red(MSG_NOT_ACTIVE) },
  // Valid and not running: the seed's "configuration completed but not yet active", or why the start failed.
  { allow: T, pathSet: T, secrets: ['ok'], running: ['no'], failed: F, expect: yellow(MSG_ACTIVATE) },
  { allow: T, pathSet: T, secrets: ['ok'], running: ['no'], failed: T, expect: red(`API could not start: ${START_ERROR}`, true) },
  // Running with exactly the stored settings: the seed's "active". A stale start error changes nothing that is pending.
  { allow: T, pathSet: T, secrets: ['ok'], running: ['same'], expect: green },
  { allow: T, pathSet: T, secrets: ['none'], running: ['same', 'key'], expect: green },
  // Running with other settings than stored: say which, and add a failed restart.
  { allow: T, pathSet: T, secrets: ['ok'], running: ['key'], failed: F, expect: yellow('To update the JWT key, restart the API') },
  { allow: T, pathSet: T, secrets: ['ok'], running: ['key'], failed: T, expect: yellow(`To update the JWT key, restart the API${FAILED}`) },
  { allow: T, pathSet: T, secrets: KEY_KNOWN, running: ['lifetimes'], failed: F, expect: yellow('To update token expiration, restart the API') },
  { allow: T, pathSet: T, secrets: KEY_KNOWN, running: ['lifetimes'], failed: T, expect: yellow(`To update token expiration, restart the API${FAILED}`) },
  { allow: T, pathSet: T, secrets: KEY_KNOWN, running: ['path'], failed: F, expect: yellow('To update the JWT Secret Key File Path, restart the API') },
  { allow: T, pathSet: T, secrets: KEY_KNOWN, running: ['path'], failed: T, expect: yellow(`To update the JWT Secret Key File Path, restart the API${FAILED}`) },
  { allow: T, pathSet: T, secrets: KEY_KNOWN, running: ['address'], failed: F, expect: yellow('To update the API address, restart the API') },
  { allow: T, pathSet: T, secrets: KEY_KNOWN, running: ['address'], failed: T, expect: yellow(`To update the API address, restart the API${FAILED}`) },
];

function matches(row: Row, c: Combination): boolean {
  return (
    (row.allow?.includes(c.allow) ?? true) &&
    (row.pathSet?.includes(c.pathSet) ?? true) &&
    (row.secrets?.includes(c.secrets) ?? true) &&
    (row.running?.includes(c.running) ?? true) &&
    (row.failed?.includes(c.failed) ?? true)
  );
}

const combinations: Combination[] = [true, false].flatMap((allow) =>
  [true, false].flatMap((pathSet) =>
    (['none', 'ok', 'missing', 'locked', 'error'] as const).flatMap((secrets) =>
      (['no', ...RUNNING] as const).flatMap((running) => [false, true].map((failed) => ({ allow, pathSet, secrets, running, failed }))),
    ),
  ),
);

const label = (c: Combination): string =>
  `allow=${c.allow} path=${c.pathSet ? 'set' : 'blank'} secrets=${c.secrets} running=${c.running} startError=${c.failed ? 'set' : 'null'}`;

describe('apiBanner, every combination', () => {
  it('covers 2 × 2 × 5 × 6 × 2 = 240 combinations, and every row of the table is used', () => {
    expect(combinations).toHaveLength(240);
    for (const row of rows) expect(combinations.some((c) => matches(row, c))).toBe(true);
  });

  it.each(combinations.map((c) => [label(c), c] as const))('%s', (_label, c) => {
    const matching = rows.filter((row) => matches(row, c));
    expect(matching, 'exactly one table row must describe each combination').toHaveLength(1);
    expect(apiBanner(inputFor(c))).toEqual(matching[0]?.expect);
  });
});

describe("the seed's three states", () => {
  const base = { allow: true, pathSet: true, failed: false } as const;

  it('"enabled but not active": red, no restart button', () => {
    expect(apiBanner(inputFor({ ...base, pathSet: false, secrets: 'none', running: 'no' }))).toEqual({
      colour: 'red',
      message: 'API not active. Please specify JWT authentication settings',
      restartButton: false,
      newKeyButton: false,
      urls: [],
    });
  });

  it('"configuration completed but not yet active": yellow, with Restart API', () => {
    expect(apiBanner(inputFor({ ...base, secrets: 'ok', running: 'no' }))).toEqual({
      colour: 'yellow',
      message: 'To activate the API, restart the API',
      restartButton: true,
      newKeyButton: false,
      urls: [],
    });
  });

  it('"active": green with the URLs clients use', () => {
    expect(apiBanner(inputFor({ ...base, secrets: 'ok', running: 'same' }))).toEqual({
      colour: 'green',
      message: 'API is active',
      restartButton: false,
      newKeyButton: false,
      urls: URLS,
    });
  });
});

describe('details', () => {
  it('names every pending change in one sentence', () => {
    const input = inputFor({ allow: true, pathSet: true, secrets: 'ok', running: 'same', failed: false });
    const running: RunningApi = {
      settings: { ...input.stored, refreshTokenDays: 30, secretsFilePath: '/old', host: '127.0.0.1' },
      keyId: 'ffffffffffffffff',
      urls: URLS,
    };
    expect(apiBanner({ ...input, running })?.message).toBe(
      'To update token expiration, the JWT Secret Key File Path and the API address, restart the API',
    );
    const keyAndPort: RunningApi = { settings: { ...input.stored, port: 80 }, keyId: 'ffffffffffffffff', urls: URLS };
    expect(apiBanner({ ...input, running: keyAndPort })?.message).toBe('To update the JWT key and the API address, restart the API');
  });

  it('a whitespace-only path counts as blank', () => {
    const input = inputFor({ allow: true, pathSet: true, secrets: 'ok', running: 'same', failed: false });
    expect(apiBanner({ ...input, stored: { ...input.stored, secretsFilePath: '  \t' } })?.message).toBe(MSG_DEACTIVATE);
    expect(apiBanner({ ...input, stored: { ...input.stored, secretsFilePath: '  ' }, running: null })?.message).toBe(MSG_NOT_ACTIVE);
  });
});

describe('a locked secrets file', () => {
  const locked = inputFor({ allow: true, pathSet: true, secrets: 'locked', running: 'no', failed: false });

  it('says "Secrets locked", where to unlock, and that the API is inactive until then', () => {
    expect(apiBanner(locked)).toEqual({
      colour: 'red',
      message:
        'Secrets locked: unlock the secrets file (Settings → API, `campanel secrets unlock`, or POST /system/hsm). The API stays inactive until then',
      restartButton: false,
      newKeyButton: false,
      urls: [],
    });
  });

  it('wins over a failed start (a locked listener that could not open its port) and offers no restart', () => {
    expect(apiBanner({ ...locked, startError: START_ERROR })?.message).toMatch(/^Secrets locked: .*inactive until then$/);
    expect(apiBanner({ ...locked, startError: START_ERROR })?.restartButton).toBe(false);
  });

  it('yields to "restart to deactivate" when the API was switched off while running', () => {
    const { running } = inputFor({ allow: true, pathSet: true, secrets: 'ok', running: 'same', failed: false });
    expect(apiBanner({ ...locked, allowApi: false, running })?.message).toBe(MSG_DEACTIVATE);
  });
});
