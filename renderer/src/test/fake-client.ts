/**
 * An in-memory PanelClient for store tests: a tiny model of the main process (users, settings,
 * tokens, the system config, the secrets lock, notifications) with the contract's shapes. Any channel
 * can be overridden per test.
 */
import {
  contract,
  type ChannelName,
  type PanelCalls,
  type PanelClient,
  type PanelEvent,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../../shared/contract';
import {
  DEFAULT_SETTINGS,
  DEFAULT_SYSTEM_DEFAULTS,
  type ApiStatusView,
  type CaptureEntry,
  type MailTestResult,
  type NodeInfo,
  type NotificationView,
  type PipelineState,
  type SecretsLock,
  type Settings,
  type SessionState,
  type SystemDefaults,
  type SystemOverview,
  type TokenRecord,
  type UserView,
} from '../../../shared/domain';

type Handler<K extends ChannelName> = (request: RequestOf<K>) => Result<ResponseOf<K>> | Promise<Result<ResponseOf<K>>>;
export type Overrides = { [K in ChannelName]?: Handler<K> };

export interface FakeWorld {
  users: (UserView & { password: string })[];
  me: string | null;
  settings: Settings;
  warnings: string[];
  tokens: TokenRecord[];
  status: ApiStatusView;
  pipeline: PipelineState;
  /** Newest first, as listCaptures answers. */
  captures: CaptureEntry[];
  /** What watchConnection listeners hear; set with setConnected. */
  connected: boolean;
  setConnected(connected: boolean): void;
  calls: { name: ChannelName; request: unknown }[];
  emit(event: PanelEvent): void;
  /** The config table by key; password-typed values are masked in every answer but revealConfigEntry's. */
  config: Map<string, { value: string; type: string; desc: string }>;
  defaults: SystemDefaults;
  node: NodeInfo;
  /** Nodes an admin registered (this node is not among them). */
  nodes: NodeInfo[];
  /** The secrets file: configured, protected with `passphrase`, locked until unlocked. */
  secrets: SecretsLock & { passphrase: string | null };
  /** The mail password in the secrets file, or null. */
  mailPassword: string | null;
  importedFromSecrets: boolean;
  /** What the next test mail reports; set { ok: false, … } to make it fail. */
  mailTest: MailTestResult;
}

/** Why password values cannot be written or read now, as the main process words it; null when they can. */
export const PASSWORDS_UNAVAILABLE = {
  notConfigured: 'No secrets file is configured: password values are encrypted with its key (JWT Secret Key File Path on the API tab).',
  locked: 'The secrets file is locked: unlock it with its passphrase first.',
} as const;

export const WRONG_PASSPHRASE = 'Wrong passphrase';

/** The channels whose requests the fake checks against the contract, as the main process's handler registry does. */
const CHECKED_CHANNELS = new Set<ChannelName>([
  'systemOverview',
  'saveConfigEntry',
  'deleteConfigEntry',
  'revealConfigEntry',
  'setSystemDefaults',
  'randomKey',
  'systemDocumentation',
  'registerNode',
  'removeNode',
  'secretsLock',
  'unlockSecrets',
  'protectSecrets',
  'unprotectSecrets',
  'notificationSettings',
  'saveNotificationSettings',
  'sendTestMail',
]);

/** A refused request as the handler registry answers it: bad_request, one message per full path ('_' for the whole). */
function refusedRequest(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    fields[key] ??= issue.message;
  }
  return { ok: false as const, error: { code: 'bad_request' as const, message: Object.values(fields)[0] ?? 'Invalid request', fields } };
}

const CAMERA_OPTION_KEYS = ['activeCamera', 'photoType', 'rawType', 'videoType', 'photoDir', 'idleTimeoutSeconds', 'requireAuthForStreaming'] as const;

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const fail = (code: 'unauthenticated' | 'invalid' | 'conflict' | 'not_found' | 'unsupported', message: string, fields?: Record<string, string>) => ({
  ok: false as const,
  error: fields ? { code, message, fields } : { code, message },
});

export function createFakeClient(overrides: Overrides = {}, transport: 'electron' | 'http' = 'http') {
  const listeners = new Set<(e: PanelEvent) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  const world: FakeWorld = {
    users: [],
    me: null,
    settings: structuredClone(DEFAULT_SETTINGS),
    warnings: [],
    tokens: [],
    status: {
      banner: null,
      running: false,
      keyPresent: false,
      generateDisabledReason: 'No valid JWT key',
      recommendedPath: '~/.secrets/campanel.secrets',
      resolvedSecretsPath: null,
    },
    pipeline: { state: 'idle', attempt: 0, nextTryAt: null, failedStage: null, error: null, stderr: [], activeCamera: 0, cameras: [] },
    captures: [],
    connected: true,
    setConnected: (connected) => {
      world.connected = connected;
      connectionListeners.forEach((l) => l(connected));
    },
    calls: [],
    emit: (e) => listeners.forEach((l) => l(e)),
    config: new Map(),
    defaults: { ...DEFAULT_SYSTEM_DEFAULTS },
    node: { name: 'campanel', uuid: '8f0c2a4e-5b1d-4c3e-9a7f-2d6b1e0c9a11' },
    nodes: [],
    secrets: { configured: true, protected: false, locked: false, passphrase: null },
    mailPassword: null,
    importedFromSecrets: false,
    mailTest: { ok: true, message: 'A test mail was sent.' },
  };
  let captureCount = 0;
  const newCapture = (camera: number, kind: CaptureEntry['kind']): CaptureEntry => {
    captureCount += 1;
    const ext = kind === 'photo' ? 'jpg' : kind === 'raw' ? 'tiff' : 'mp4';
    const name = `20261126_1200${String(captureCount).padStart(2, '0')}.${ext}`;
    const entry: CaptureEntry = {
      id: `camera_${camera}/${name}`,
      camera,
      name,
      kind,
      size: 1000 + captureCount,
      modifiedAt: new Date(Date.UTC(2026, 10, 26, 12, 0, captureCount)).toISOString(),
      durationSeconds: kind === 'video' ? 3 : null,
    };
    world.captures.unshift(entry);
    return entry;
  };
  const cameraState = (num: number) => world.pipeline.cameras[num];
  const view = ({ password: _p, ...u }: UserView & { password: string }): UserView => u;
  const session = (): SessionState => {
    if (world.users.length === 0) return { phase: 'firstRun', user: null };
    const me = world.users.find((u) => u.name === world.me);
    if (!me) return { phase: 'login', user: null };
    return { phase: me.initial ? 'changePassword' : 'ready', user: view(me) };
  };
  const viewOf = () => ({ settings: structuredClone(world.settings), warnings: world.warnings, backupPath: null });
  const passwordsUnavailable = (): string | null =>
    !world.secrets.configured ? PASSWORDS_UNAVAILABLE.notConfigured : world.secrets.locked ? PASSWORDS_UNAVAILABLE.locked : null;
  const lockView = (): SecretsLock => ({ configured: world.secrets.configured, protected: world.secrets.protected, locked: world.secrets.locked });
  const overview = (): Result<SystemOverview> =>
    ok({
      entries: [...world.config].map(([key, e]) => {
        const masked = e.type === 'password';
        return { key, value: masked ? null : e.value, type: e.type, desc: e.desc, masked };
      }),
      defaults: { ...world.defaults },
      node: { ...world.node },
      registeredNodes: world.nodes.map((n) => ({ ...n })),
      secrets: lockView(),
      passwordsUnavailable: passwordsUnavailable(),
    });
  const notificationView = (): Result<NotificationView> =>
    ok({
      settings: { ...world.settings.notifications },
      passwordSet: world.mailPassword !== null,
      passwordUnavailable: passwordsUnavailable(),
      importedFromSecrets: world.importedFromSecrets,
    });
  const randomBytes = (length: number): Uint8Array => crypto.getRandomValues(new Uint8Array(length));
  const settingsView = () => ok(viewOf());

  const base: { [K in ChannelName]: Handler<K> } = {
    sessionState: () => ok(session()),
    createAdmin: ({ name, password }) => {
      world.users.push({ name, password, role: 'admin', initial: false, locked: false });
      world.me = name;
      return ok(session());
    },
    login: ({ name, password }) => {
      const user = world.users.find((u) => u.name === name && u.password === password);
      if (!user) return fail('unauthenticated', 'Wrong name or password');
      world.me = name;
      return ok(session());
    },
    logout: () => {
      world.me = null;
      return ok(session());
    },
    changePassword: ({ currentPassword, newPassword }) => {
      const me = world.users.find((u) => u.name === world.me);
      if (!me || me.password !== currentPassword) return fail('invalid', 'Current password is wrong', { currentPassword: 'Wrong password' });
      me.password = newPassword;
      me.initial = false;
      return ok(session());
    },
    listUsers: () => ok(world.users.map(view)),
    addUser: ({ name, role, password }) => {
      if (world.users.some((u) => u.name === name)) return fail('conflict', `User ${name} already exists`, { name: 'Taken' });
      const user = { name, role, password, initial: true, locked: false };
      world.users.push(user);
      return ok(view(user));
    },
    removeUser: ({ name }) => {
      world.users = world.users.filter((u) => u.name !== name);
      return ok(world.users.map(view));
    },
    resetPassword: ({ name, password }) => {
      const user = world.users.find((u) => u.name === name);
      if (!user) return fail('invalid', 'No such user');
      Object.assign(user, { password, initial: true });
      return ok(view(user));
    },
    unlockUser: ({ name }) => {
      const user = world.users.find((u) => u.name === name);
      if (user) {
        user.locked = false;
        delete user.locks;
      }
      return ok(world.users.map(view));
    },
    getSettings: () => settingsView(),
    setGeneralSettings: (general) => {
      world.settings.general = general;
      return settingsView();
    },
    setApiSettings: (api) => {
      const path = api.secretsFilePath.trim();
      const secretsFile = path === '' ? null : { resolvedPath: path.replace(/^~/, '/home/pi'), outcome: 'existing' as const };
      world.settings.api = { ...api } as Settings['api'];
      return ok({ ...viewOf(), secretsFile });
    },
    exportConfig: () => ok({ fileName: 'campanel-config.json', json: JSON.stringify(world.settings) }),
    checkImport: () => ok({ problems: [], changes: [] }),
    importConfig: ({ json }) => {
      world.settings = JSON.parse(json) as Settings;
      return settingsView();
    },
    apiStatus: () => ok(structuredClone(world.status)),
    restartApi: () => ok(structuredClone(world.status)),
    rotateKey: () => {
      world.tokens = [];
      return ok(structuredClone(world.status));
    },
    generateToken: ({ label }) => {
      const record = { jti: `jti-${world.tokens.length + 1}`, owner: world.me ?? '', label, createdAt: new Date(0).toISOString(), lastUsedAt: null };
      world.tokens.push(record);
      return ok({ token: `token-${record.jti}`, record });
    },
    listTokens: () => ok([...world.tokens]),
    revokeToken: ({ jti }) => {
      world.tokens = world.tokens.filter((t) => t.jti !== jti);
      return ok([...world.tokens]);
    },
    copySecret: () => ok({ ok: true as const }),
    cameraStatus: () => ok(structuredClone(world.pipeline)),
    restartPipeline: () => ok(structuredClone(world.pipeline)),
    takePhoto: ({ camera, kind }) => ok(newCapture(camera, kind)),
    startRecording: ({ camera }) => {
      const state = cameraState(camera);
      if (state) Object.assign(state, { recording: true, recordingStartedAt: new Date().toISOString() });
      return ok(structuredClone(world.pipeline));
    },
    stopRecording: ({ camera }) => {
      const state = cameraState(camera);
      if (state) Object.assign(state, { recording: false, recordingStartedAt: null });
      return ok(newCapture(camera, 'video'));
    },
    switchCamera: () => {
      const count = world.pipeline.cameras.length;
      if (count > 1) world.pipeline.activeCamera = (world.pipeline.activeCamera + 1) % count;
      return ok(structuredClone(world.pipeline));
    },
    cameraSettings: () => ok(structuredClone(world.settings.camera)),
    detectCameras: () => ok([{ backend: 'testsrc' as const, device: 'testsrc2', model: 'Test pattern (ffmpeg)' }]),
    applyCameraSettings: (next) => {
      const before = world.settings.camera;
      const restarted = next.cameras.flatMap((camera, num) => (JSON.stringify(camera) === JSON.stringify(before.cameras[num]) ? [] : [num]));
      // As the main process reports them: the options outside the cameras list that changed.
      const changedOptions = CAMERA_OPTION_KEYS.filter((key) => before[key] !== next[key]);
      world.settings.camera = structuredClone(next) as Settings['camera'];
      return ok({ settings: structuredClone(world.settings.camera), restarted, changedOptions });
    },
    listCaptures: ({ camera, offset = 0, limit = 200 }) => {
      const matching = world.captures.filter((c) => camera === undefined || c.camera === camera);
      const cameras = [...new Set(world.captures.map((c) => c.camera))].sort((a, b) => a - b);
      return ok({ items: matching.slice(offset, offset + limit), total: matching.length, cameras, photoDir: '/home/pi/campanel/photos' });
    },
    deleteCapture: ({ id }) => {
      world.captures = world.captures.filter((c) => c.id !== id);
      return ok({ id });
    },

    systemOverview: () => overview(),
    saveConfigEntry: ({ key, value, type, desc }) => {
      const stored = world.config.get(key);
      if (value === null && !stored) return fail('invalid', 'Enter a value for a new entry', { value: 'Enter a value for a new entry' });
      // The type sticks: a password is written encrypted, so it needs the secrets file's key.
      const nextType = type === '' && stored ? stored.type : type;
      const unavailable = passwordsUnavailable();
      if (nextType === 'password' && value !== null && unavailable) return fail('invalid', unavailable, { type: unavailable });
      world.config.set(key, { value: value ?? stored?.value ?? '', type: nextType, desc });
      return overview();
    },
    deleteConfigEntry: ({ key }) => {
      if (!world.config.delete(key)) return fail('not_found', `No entry ${key}`);
      return overview();
    },
    revealConfigEntry: ({ key }) => {
      const stored = world.config.get(key);
      if (!stored) return fail('not_found', `No entry ${key}`);
      const unavailable = passwordsUnavailable();
      if (stored.type === 'password' && unavailable) return fail('unsupported', unavailable);
      return ok({ value: stored.value });
    },
    setSystemDefaults: (defaults) => {
      world.defaults = { ...defaults } as SystemDefaults;
      return overview();
    },
    randomKey: ({ length, encoding }) => {
      const bytes = randomBytes(length);
      const value = encoding === 'hex' ? Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') : btoa(String.fromCharCode(...bytes));
      return ok({ value });
    },
    systemDocumentation: () =>
      ok({ fileName: 'documentation.rst', text: `CamPanel\n========\n\nNode: ${world.node.name} (${world.node.uuid})\n` }),
    registerNode: ({ name, uuid }) => {
      const taken = (n: NodeInfo) => n.uuid.toLowerCase() === uuid.toLowerCase();
      if (taken(world.node) || world.nodes.some(taken)) return fail('conflict', 'This node is registered already', { uuid: 'This node is registered already' });
      world.nodes.push({ name, uuid });
      return overview();
    },
    removeNode: ({ uuid }) => {
      const before = world.nodes.length;
      world.nodes = world.nodes.filter((n) => n.uuid !== uuid);
      if (world.nodes.length === before) return fail('not_found', 'No such node');
      return overview();
    },

    secretsLock: () => ok(lockView()),
    unlockSecrets: ({ passphrase }) => {
      if (!world.secrets.locked) return fail('conflict', 'The secrets file is not locked');
      if (passphrase !== world.secrets.passphrase) return fail('invalid', WRONG_PASSPHRASE, { passphrase: WRONG_PASSPHRASE });
      world.secrets.locked = false;
      return ok(lockView());
    },
    protectSecrets: ({ passphrase }) => {
      if (!world.secrets.configured) return fail('conflict', PASSWORDS_UNAVAILABLE.notConfigured);
      if (world.secrets.protected) return fail('conflict', 'The secrets file is protected already');
      Object.assign(world.secrets, { protected: true, passphrase });
      return ok(lockView());
    },
    unprotectSecrets: ({ passphrase }) => {
      if (!world.secrets.protected) return fail('conflict', 'The secrets file is not protected');
      if (passphrase !== world.secrets.passphrase) return fail('invalid', WRONG_PASSPHRASE, { passphrase: WRONG_PASSPHRASE });
      Object.assign(world.secrets, { protected: false, locked: false, passphrase: null });
      return ok(lockView());
    },

    notificationSettings: () => notificationView(),
    saveNotificationSettings: ({ settings, password }) => {
      const unavailable = passwordsUnavailable();
      if (password !== undefined && unavailable) return fail('invalid', unavailable, { password: unavailable });
      world.settings.notifications = { ...settings } as Settings['notifications'];
      if (password !== undefined) world.mailPassword = password === '' ? null : password;
      world.importedFromSecrets = false;
      return notificationView();
    },
    sendTestMail: () => ok({ ...world.mailTest }),
  };

  const calls = Object.fromEntries(
    (Object.keys(base) as ChannelName[]).map((name) => [
      name,
      async (request: unknown) => {
        world.calls.push({ name, request });
        if (CHECKED_CHANNELS.has(name)) {
          const parsed = contract[name].request.safeParse(request);
          if (!parsed.success) return refusedRequest(parsed.error.issues);
          request = parsed.data;
        }
        const handler = (overrides[name] ?? base[name]) as (r: unknown) => unknown;
        return handler(request);
      },
    ]),
  ) as unknown as PanelCalls;

  const client: PanelClient = {
    ...calls,
    transport,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watchConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
  return { client, world, listenerCount: () => listeners.size };
}
