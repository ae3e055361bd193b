import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_DEFAULTS } from '../../shared/domain.js';
import { CENSORED, DOCUMENTATION_TITLE, renderDocumentation, type DocumentationInput } from './documentation.js';
import { textLines } from './rst.js';
import { checkWithDocutils, pythonWithDocutils } from './test-docutils.js';

const SECTIONS = [
  'Node',
  'API settings',
  'Users and roles',
  'System configuration',
  'Defaults',
  'Cameras and pipeline',
  'Notifications',
  'Registered nodes',
];

function richInput(): DocumentationInput {
  return {
    generatedAt: new Date(2026, 10, 6, 7, 5, 59),
    node: { name: 'garden-pi', uuid: '0b7c5f8e-4a1d-4c2b-9d0e-5f6a7b8c9d0e' },
    version: '0.1.0',
    hostName: 'garden-pi.local',
    api: {
      allowApi: true,
      host: '0.0.0.0',
      port: 5000,
      accessTokenMinutes: 60,
      refreshTokenDays: 0,
      secretsFilePath: '/home/pi/.secrets/campanel.secrets',
      running: true,
      urls: ['http://192.168.1.20:5000/', 'http://garden-pi.local:5000/'],
      secretsProtected: true,
      secretsLocked: false,
    },
    users: [
      { name: 'admin', role: 'admin', initial: false },
      { name: 'viewer', role: 'user', initial: true },
    ],
    config: [
      { key: 'splitAtSign', value: 'True', type: 'public', desc: 'Split user@realm' },
      { key: 'smtp.password', value: null, type: 'password', desc: 'Relay password' },
      { key: 'camera.label', value: 'Back garden', type: '', desc: '' },
    ],
    defaults: { ...DEFAULT_SYSTEM_DEFAULTS, maxFailCount: 7, otpLen: 8 },
    cameras: {
      activeCamera: 1,
      cameras: [
        { backend: 'testsrc', device: 'testsrc2', width: 1280, height: 720, fps: 30, jpegQuality: 80 },
        { backend: 'v4l2', device: '/dev/video0', width: 640, height: 480, fps: 15, jpegQuality: 70 },
      ],
      photoDir: '/srv/photos',
      photoType: 'jpg',
      rawType: 'tiff',
      videoType: 'mp4',
      idleTimeoutSeconds: 10,
      requireAuthForStreaming: true,
      pipeline: { state: 'running', detail: '2 cameras' },
    },
    notifications: {
      host: 'smtp.example.org',
      port: 587,
      tls: 'starttls',
      user: 'camera@example.org',
      sender: 'camera@example.org',
      recipient: 'owner@example.org',
      passwordSet: true,
    },
    registeredNodes: [{ name: 'shed-pi', uuid: '6f1d2c3b-0000-4000-8000-123456789abc' }],
  };
}

/** Text that reStructuredText would read as markup or structure if it were written as it is. */
const HOSTILE = [
  'back\\slash \\ and trailing \\',
  '*emphasis* and **strong** and * lone star',
  '`interpreted` ``literal`` :role:`x` :code:`y`',
  '|substitution| and a | pipe',
  'reference_ anonymous__ `phrase`_ _`target` word_ end_',
  '__init__ and __CENSORED__ as plain text',
  '.. comment',
  '.. note:: a directive',
  '.. _target: http://evil.example/',
  '.. |sub| replace:: evil',
  '[1]_ [#]_ [cit]_ [*]_',
  'line one\nline two\n\n\n\n\nline seven',
  'cr\rcrlf\r\nvt\vff\ffs\u001cgs\u001drs\u001enel\u0085ls\u2028ps\u2029end',
  '- dash list',
  '* star list',
  '+ plus list',
  '1. enumerated',
  '#. auto-enumerated',
  'A. letter',
  'I. roman',
  '(a) parenthesised',
  '\u2022 bullet \u2023 triangle \u2043 hyphen bullet',
  '====',
  'Title\n-----\nNot a section',
  '-----\nOver and under\n-----',
  'ends with colons::',
  '::',
  ':field: list',
  '>>> doctest',
  '| line block',
  '+---+---+\n| a | b |\n+---+---+',
  '=== ===\n a   b\n=== ===',
  '   leading spaces',
  'trailing spaces   ',
  'x'.repeat(3000),
  'word '.repeat(600),
  'Gr\u00fc\u00dfe, \u65e5\u672c\u8a9e, \ud83d\udcf7, \u05e2\u05d1\u05e8\u05d9\u05ea, \u00ab\u00bb \u201cquoted\u201d',
  '<script>alert(1)</script> & &amp; "double" \'single\'',
  'http://example.org/a_b_ and user@example.org',
  'a\ttab',
  '\\*escaped already\\*',
  '--',
  '..',
];

/** Characters no document should carry: rendered as U+FFFD, and still valid. */
const UNPRINTABLE = 'nul\u0000bell\u0007esc\u001bdel\u007fc1\u0090lone\ud800surrogate\uffff';

function hostileInput(): DocumentationInput {
  const base = richInput();
  const pick = (i: number) => HOSTILE[i % HOSTILE.length] ?? '';
  return {
    ...base,
    node: { name: pick(0), uuid: pick(1) },
    version: HOSTILE.join(' '),
    hostName: '.. evil:: host\n===\n*x*',
    api: { ...base.api, host: pick(2), secretsFilePath: pick(3), urls: HOSTILE.slice(0, 5) },
    users: HOSTILE.map((name, i) => ({ name, role: i % 2 ? 'user' : 'admin', initial: i % 3 === 0 })),
    config: [
      ...HOSTILE.map((text, i) => ({ key: text, value: pick(i + 1), type: pick(i + 2), desc: pick(i + 3) })),
      { key: UNPRINTABLE, value: UNPRINTABLE, type: UNPRINTABLE, desc: UNPRINTABLE },
      { key: '', value: '', type: '', desc: '' },
      { key: '   ', value: '   ', type: '   ', desc: '\n\n' },
      { key: 'nothing', value: null, type: 'int', desc: 'null value' },
    ],
    cameras: {
      ...base.cameras,
      cameras: HOSTILE.slice(5, 9).map((device) => ({ backend: 'v4l2', device, width: 640, height: 480, fps: 15, jpegQuality: 70 })),
      photoDir: pick(10),
      pipeline: { state: pick(11), detail: pick(12) },
    },
    notifications: { ...base.notifications, host: pick(13), user: pick(14), sender: pick(15), recipient: pick(16) },
    registeredNodes: HOSTILE.map((name, i) => ({ name, uuid: pick(i + 7) })),
  };
}

/** What a reader should see of a value: its lines, whitespace runs collapsed (docutils joins and strips lines). */
const normalise = (text: string) => textLines(text).join(' ').replace(/\s+/g, ' ').trim();

function expectValid(document: string): ReturnType<typeof checkWithDocutils> {
  const report = checkWithDocutils(document);
  expect(report.messages).toEqual([]);
  expect(report.html).toContain(DOCUMENTATION_TITLE);
  // Exactly our sections: no value turned into a heading of its own.
  const headings = [...report.html.matchAll(/<h1>(.*?)<\/h1>/g)].map((match) => match[1]);
  expect(headings).toEqual(SECTIONS);
  return report;
}

describe('renderDocumentation', () => {
  it('starts like privacyIDEA’s export: title, System, Date, Version', () => {
    const lines = renderDocumentation(richInput()).split('\n');
    expect(lines.slice(0, 6)).toEqual([
      DOCUMENTATION_TITLE,
      '='.repeat(DOCUMENTATION_TITLE.length),
      '',
      '* System: garden-pi.local',
      '* Date: 2026-11-06 07:05',
      '* Version: 0.1.0',
    ]);
  });

  it('writes a rich installation as valid reStructuredText with every section in order', () => {
    const document = renderDocumentation(richInput());
    const { text } = expectValid(document);
    for (const shown of [
      'garden-pi',
      '0b7c5f8e-4a1d-4c2b-9d0e-5f6a7b8c9d0e',
      'http://192.168.1.20:5000/',
      '/home/pi/.secrets/campanel.secrets',
      'viewer',
      'splitAtSign',
      'Split user@realm',
      'Back garden',
      'DefaultMaxFailCount',
      '/dev/video0',
      '640x480',
      '1 (active)',
      '2 cameras',
      'smtp.example.org',
      'owner@example.org',
      'shed-pi',
    ]) {
      expect(text).toContain(shown);
    }
    expect(text).toContain(CENSORED);
    expect(document).toContain(`\`\`${CENSORED}\`\``);
    expect(document).not.toMatch(/\n{3,}/);
  });

  it('keeps every hostile value as plain text: no warning, no extra structure, the reader sees the value', () => {
    const input = hostileInput();
    const document = renderDocumentation(input);
    const { text } = expectValid(document);
    const seen = text.replace(/\s+/g, ' ');
    for (const value of HOSTILE.filter((value) => value.trim() !== '')) {
      expect(seen).toContain(normalise(value));
    }
    expect(seen).toContain(normalise(UNPRINTABLE));
    for (const unprintable of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0090', '\ud800']) {
      expect(document).not.toContain(unprintable);
    }
    expect(document).not.toMatch(/\n{3,}/);
    // "::" (a literal-block marker at a paragraph's end) appears only in our own directives, never from a value.
    expect(document.replace(/^\.\. list-table::$/gm, '')).not.toContain('::');
  });

  it('says so where a list is empty or a value is missing, and stays valid', () => {
    const input: DocumentationInput = {
      ...richInput(),
      hostName: '',
      version: '',
      users: [],
      config: [],
      registeredNodes: [],
      cameras: { ...richInput().cameras, cameras: [], photoDir: '', idleTimeoutSeconds: 0, pipeline: { state: 'stopped' } },
      api: { ...richInput().api, secretsFilePath: '', urls: [], running: false, accessTokenMinutes: 0 },
      notifications: { host: '', port: 25, tls: 'none', user: '', sender: '', recipient: '', passwordSet: false },
    };
    const { text } = expectValid(renderDocumentation(input));
    for (const shown of [
      'No user exists yet.',
      'No configuration entry is stored.',
      'No camera is configured.',
      'No other node is registered.',
      '(not set: the API is inactive)',
      '(none while the API is not running)',
      '(0: no expiration)',
      '(0: always on)',
      '(default: photos in the data directory)',
      '(not set: notifications are off)',
    ]) {
      expect(text).toContain(shown);
    }
    expect(text).toMatch(/Password\s+not set/);
  });

  it('distinguishes a missing value, an empty one and a blank one', () => {
    const input = richInput();
    input.config = [
      { key: 'missing', value: null, type: 'int', desc: 'x' },
      { key: 'empty', value: '', type: 'int', desc: 'x' },
      { key: 'blank', value: '   ', type: 'int', desc: 'x' },
    ];
    const { text } = expectValid(renderDocumentation(input));
    expect(text).toMatch(/missing\s+int\s+x\s+\(not set\)/);
    expect(text).toMatch(/empty\s+int\s+x\s+\(empty\)/);
    expect(text).toMatch(/blank\s+int\s+x\s+\(blank\)/);
  });
});

describe('renderDocumentation never prints a secret', () => {
  const PASSWORD_VALUE = 'Pl4nted-config-password';
  const MAIL_PASSWORD = 'Pl4nted-mail-password';
  const JWT_KEY = 'c2VjcmV0LWp3dC1rZXktbm90LXRvLWJlLXByaW50ZWQ';
  const HASH = '$scrypt$N=16384,r=8,p=1$planted$hash';

  function plantedInput(): DocumentationInput {
    const base = richInput();
    // Extra properties a careless caller might pass along: the renderer must read only the fields it names.
    const withSecrets = {
      ...base,
      jwtKey: JWT_KEY,
      secretKey: JWT_KEY,
      api: { ...base.api, jwtKey: JWT_KEY, secretKey: JWT_KEY, key: JWT_KEY },
      users: base.users.map((user) => ({ ...user, hash: HASH, password: PASSWORD_VALUE, passwordHash: HASH })),
      config: [
        ...base.config,
        // A password value that arrived although it should not have: still censored.
        { key: 'relay.password', value: PASSWORD_VALUE, type: 'password', desc: 'Relay' },
      ],
      notifications: { ...base.notifications, password: MAIL_PASSWORD, passwordSet: true },
      node: { ...base.node, secret: JWT_KEY },
      registeredNodes: base.registeredNodes.map((node) => ({ ...node, token: JWT_KEY })),
    };
    return withSecrets;
  }

  it('leaves out the JWT key, passwords, hashes and the mail password however they arrive', () => {
    const document = renderDocumentation(plantedInput());
    for (const secret of [PASSWORD_VALUE, MAIL_PASSWORD, JWT_KEY, HASH, 'Pl4nted', 'scrypt']) {
      expect(document).not.toContain(secret);
    }
    const { text } = expectValid(document);
    expect(text).toMatch(/relay\.password\s+password\s+Relay\s+__CENSORED__/);
    expect(text).toMatch(/smtp\.password\s+password\s+Relay password\s+__CENSORED__/);
    expect(text).toMatch(/Password\s+set\b/);
  });
});

describe('the docutils check itself', () => {
  it('fails, naming `npm run setup`, when no python3 with docutils is found', () => {
    expect(() => pythonWithDocutils(['/nonexistent/python3'])).toThrow(/npm run setup/);
  });

  it('reports the warnings docutils raises for broken markup', () => {
    const report = checkWithDocutils('Title\n=====\n\n*unclosed emphasis and `unclosed literal\n\nends with::\n');
    expect(report.messages.filter((message) => message.level >= 2).length).toBeGreaterThanOrEqual(2);
    expect(report.html).toBe('');
  });
});
