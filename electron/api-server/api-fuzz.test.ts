/**
 * Fuzz: a few thousand malformed requests from a fixed seed (test-fuzz-cases.ts), over raw TCP, against a real
 * API listener, and a smaller set against the panel server. Asserted for every exchange: no 5xx; nothing the
 * client sent comes back; on the API port every answer carries a content type and is JSON in raspiCamSrv's
 * shapes (docs/compatibility.md §3.1), and every connection gets an answer. A second API run aims at /system
 * (privacyIDEA's dialect), with valid tokens among the forged ones: there every answer is privacyIDEA's
 * envelope, but for the documentation text, the 308 and the listener's own answers given before routing.
 * Afterwards every server still serves a normal request. A failure prints the case (kind, bytes) so it can
 * be replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestPanel, type PanelServer } from '../test-support/panel-kit.js';
import { http, makeWorld, serverPool, type World } from '../test-support/api-test-kit.js';
import { piErrorSchema, piSuccessSchema, successDetailSchema } from './privacyidea/envelope.js';
import { startSystemServer } from './privacyidea/test-system-kit.js';
import { LISTENER_ANSWERS } from './raspicamsrv/errors.js';
import { API_TARGET_PATHS, SYSTEM_BODIES, SYSTEM_TARGET_PATHS, generateCases, type FuzzCase } from './test-fuzz-cases.js';
import { rawExchange, type RawAnswer, type RawExchange } from './test-raw-http.js';

const SEED = 0x7c0ffee;
const API_CASES = 3000;
const SYSTEM_CASES = 2000;
const PANEL_CASES = 600;
const CONCURRENCY = 16;
/** Short, so that the stalled cases answer quickly; the behaviour is the production one. */
const LIMITS = { headersTimeoutMs: 500, requestTimeoutMs: 500, checkIntervalMs: 100 };

interface Finding {
  kind: string;
  problem: string;
  request: string;
  answer: string;
}

async function runCases(port: number, cases: readonly FuzzCase[], check: (exchange: RawExchange, fuzz: FuzzCase) => string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const fuzz = cases[next++] as FuzzCase;
      const exchange = await rawExchange(port, fuzz.chunks, { timeoutMs: 4000, methods: fuzz.methods });
      for (const problem of check(exchange, fuzz)) {
        findings.push({
          kind: fuzz.kind,
          problem,
          request: JSON.stringify(Buffer.concat(fuzz.chunks).subarray(0, 300).toString('latin1')),
          answer: JSON.stringify(exchange.bytes.subarray(0, 300).toString('latin1')),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return findings;
}

/** No 5xx and no echo: asked of every server. */
function common(exchange: RawExchange, fuzz: FuzzCase): string[] {
  const problems: string[] = [];
  for (const answer of exchange.answers) if (answer.status >= 500) problems.push(`status ${answer.status}`);
  if (exchange.bytes.toString('latin1').toLowerCase().includes(fuzz.marker.toLowerCase())) problems.push('echoes what the client sent');
  return problems;
}

const SHAPE_KEYS = new Set(['error', 'msg', 'message']);

/** The API port's rules (docs/compatibility.md §3.1). */
function apiRules(exchange: RawExchange, fuzz: FuzzCase): string[] {
  const problems = common(exchange, fuzz);
  if (exchange.answers.length === 0) problems.push('no answer');
  const bodylessAllowed = fuzz.methods.includes('HEAD') || fuzz.methods.includes('OPTIONS');
  for (const answer of exchange.answers) {
    if (answer.status < 200) continue;
    problems.push(...raspiCamSrvAnswer(answer, bodylessAllowed));
  }
  return problems;
}

function raspiCamSrvAnswer(answer: RawAnswer, bodylessAllowed: boolean): string[] {
  const problems: string[] = [];
  if (answer.headers['content-type'] !== 'application/json') problems.push(`content type ${answer.headers['content-type'] ?? 'missing'}`);
  if (answer.body.length === 0) {
    if (!bodylessAllowed) problems.push(`empty ${answer.status}`);
    return problems;
  }
  const text = answer.body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push('body is not JSON');
    return problems;
  }
  const keys = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  if (keys.length !== 1 || !SHAPE_KEYS.has(keys[0] ?? '') || !text.endsWith('\n')) problems.push('not a raspiCamSrv shape');
  return problems;
}

/**
 * The listener's answers to what never reaches a route (framing, timeouts, Host, Expect): the same on every
 * URL. Its 405 is CONNECT's alone, so a /system URL never gets it.
 */
const { methodNotAllowed: _connectOnly, ...PRE_ROUTING_ANSWERS } = LISTENER_ANSWERS;
const LISTENER_BODIES = new Set(Object.values(PRE_ROUTING_ANSWERS).map((body) => body.toString('utf8')));
const LISTENER_LENGTHS = new Set(Object.values(PRE_ROUTING_ANSWERS).map((body) => String(body.length)));
const SYSTEM_SUCCESS = [piSuccessSchema(z.unknown()), piSuccessSchema(z.unknown(), successDetailSchema)];

/** The path /system's router sees: the target without query or fragment (and without scheme and host, as find-my-way reads it). */
function systemPath(target: string | undefined): string | null {
  const path = target?.replace(/^https?:\/\/.*?\//, '/').split(/[?#]/)[0] ?? '';
  return path === '/system' || path.startsWith('/system/') ? path : null;
}

/**
 * The API port with /system served: answers to /system URLs are privacyIDEA's envelope (or the listener's own
 * answers, the 308 and the documentation text); all others follow raspiCamSrv's rules as above. setConfig's
 * success names the keys written, by design, so an exchange with one is not searched for an echo.
 */
function systemRules(exchange: RawExchange, fuzz: FuzzCase): string[] {
  const finals = exchange.answers.filter((answer) => answer.status >= 200);
  const setConfigAnswered = finals.some((answer, index) => answer.status === 200 && systemPath(fuzz.targets[index]) === '/system/setConfig');
  const problems = common(exchange, fuzz).filter((problem) => !(setConfigAnswered && problem === 'echoes what the client sent'));
  if (exchange.answers.length === 0) problems.push('no answer');
  const bodylessAllowed = fuzz.methods.includes('HEAD') || fuzz.methods.includes('OPTIONS');
  finals.forEach((answer, index) => {
    const path = systemPath(fuzz.targets[index]);
    problems.push(...(path === null ? raspiCamSrvAnswer(answer, bodylessAllowed) : envelopeAnswer(answer, path, bodylessAllowed, fuzz.methods[index] === 'HEAD')));
  });
  return problems;
}

function envelopeAnswer(answer: RawAnswer, path: string, bodylessAllowed: boolean, head: boolean): string[] {
  const contentType = answer.headers['content-type'];
  const text = answer.body.toString('utf8');
  if (contentType === 'application/json' && LISTENER_BODIES.has(text)) return [];
  // A HEAD answer has no body to compare: a listener answer shows by its length and the missing Cache-Control.
  const listenerLength = LISTENER_LENGTHS.has(answer.headers['content-length'] ?? '');
  if (head && contentType === 'application/json' && listenerLength && answer.headers['cache-control'] === undefined) return [];
  if (path === '/system/documentation' && answer.status === 200 && contentType === 'text/plain; charset=utf-8') return [];
  const problems: string[] = [];
  if (contentType !== 'application/json') problems.push(`/system content type ${contentType ?? 'missing'}`);
  if (answer.headers['cache-control'] !== 'no-cache') problems.push(`/system ${answer.status} without Cache-Control: no-cache`);
  if (answer.status === 308) {
    if (answer.headers['location'] !== '/system/' || answer.body.length > 0) problems.push('/system 308 not to /system/ or with a body');
    return problems;
  }
  if (answer.body.length === 0) {
    if (!bodylessAllowed) problems.push(`/system empty ${answer.status}`);
    return problems;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push('/system body is not JSON');
    return problems;
  }
  const isEnvelope = answer.status < 300 ? SYSTEM_SUCCESS.some((schema) => schema.safeParse(parsed).success) : piErrorSchema.safeParse(parsed).success;
  if (!isEnvelope || !text.endsWith('\n')) problems.push(`/system ${answer.status} not privacyIDEA's envelope`);
  return problems;
}

function report(findings: readonly Finding[]): string {
  const byProblem = new Map<string, Finding[]>();
  for (const finding of findings) byProblem.set(finding.problem, [...(byProblem.get(finding.problem) ?? []), finding]);
  const example = (finding: Finding) => `  [${finding.kind}] ${finding.request}\n    → ${finding.answer}`;
  return [...byProblem].map(([problem, list]) => [`${list.length}× ${problem}, e.g.`, ...list.slice(0, 3).map(example)].join('\n')).join('\n');
}

describe('fuzz: the API listener', () => {
  let world: World;
  const pool = serverPool();
  beforeAll(async () => {
    world = await makeWorld();
  });
  afterAll(async () => {
    await pool.stopAll();
    await world.cleanUp();
  });

  it(`${API_CASES} malformed requests: no 5xx, JSON in raspiCamSrv's shapes, nothing echoed, still serving`, async () => {
    const { baseUrl, deps } = await pool.start(world, {}, LIMITS);
    const port = Number(new URL(baseUrl).port);
    const cases = generateCases(SEED, API_CASES, { host: `127.0.0.1:${port}`, paths: API_TARGET_PATHS });
    const findings = await runCases(port, cases, apiRules);
    expect(report(findings)).toBe('');
    // Signed directly: the fuzz's wrong passwords have (rightly) locked logins from this address for a while.
    const { token } = await deps.jwt.signAccess('bob');
    expect((await http(baseUrl, 'GET', '/api/protected', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await http(baseUrl, 'GET', '/api')).status).toBe(200);
  }, 60_000);

  it(`${SYSTEM_CASES} malformed requests to /system: no 5xx, privacyIDEA's envelope, nothing echoed, still serving`, async () => {
    const server = await startSystemServer(pool, world, {}, LIMITS);
    const port = Number(new URL(server.baseUrl).port);
    const admin = await server.token('admin');
    const bob = await server.token('bob');
    const authorizations = [admin, `Bearer ${admin}`, bob, `Bearer ${bob}`];
    const cases = generateCases(SEED + 2, SYSTEM_CASES, { host: `127.0.0.1:${port}`, paths: SYSTEM_TARGET_PATHS, prefix: '/system', authorizations, bodies: SYSTEM_BODIES });
    const findings = await runCases(port, cases, systemRules);
    expect(report(findings)).toBe('');
    const after = await server.as('admin', 'GET', '/system/nodes');
    expect(after.status).toBe(200);
    expect(piSuccessSchema(z.array(z.unknown())).safeParse(JSON.parse(after.body)).success).toBe(true);
  }, 60_000);
});

describe('fuzz: the panel server', () => {
  let panel: PanelServer;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ panel, close } = await startTestPanel('campanel-fuzz-panel-'));
  });
  afterAll(() => close());

  it(`${PANEL_CASES} malformed requests: no 5xx, nothing echoed, still serving`, async () => {
    const host = `127.0.0.1:${panel.port}`;
    const paths = ['/', '/?token=MARK', '/rpc/sessionState', '/rpc/login', '/rpc/MARK', '/events', '/assets/app.js', '/assets/MARK.js', '/page.css', '/MARK'];
    const cases = generateCases(SEED + 1, PANEL_CASES, { host, paths });
    const findings = await runCases(panel.port, cases, common);
    expect(report(findings)).toBe('');
    const after = await rawExchange(panel.port, `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect(after.answers[0]?.status).toBe(401);
  }, 60_000);
});
