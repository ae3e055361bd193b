/**
 * Fuzz: a few thousand malformed requests from a fixed seed (test-fuzz-cases.ts), over raw TCP, against a real
 * API listener, and a smaller set against the panel server. Asserted for every exchange: no 5xx; nothing the
 * client sent comes back; on the API port every answer carries a content type and is JSON in raspiCamSrv's
 * shapes (docs/compatibility.md §3.1), and every connection gets an answer. Afterwards both still serve a
 * normal request. A failure prints the case (kind, bytes) so it can be replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type PanelServer } from '../test-support/panel-kit.js';
import { http, makeWorld, serverPool, type World } from '../test-support/api-test-kit.js';
import { API_TARGET_PATHS, generateCases, type FuzzCase } from './test-fuzz-cases.js';
import { rawExchange, type RawExchange } from './test-raw-http.js';

const SEED = 0x7c0ffee;
const API_CASES = 3000;
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
    if (answer.headers['content-type'] !== 'application/json') problems.push(`content type ${answer.headers['content-type'] ?? 'missing'}`);
    if (answer.body.length === 0) {
      if (!bodylessAllowed) problems.push(`empty ${answer.status}`);
      continue;
    }
    const text = answer.body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      problems.push('body is not JSON');
      continue;
    }
    const keys = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
    if (keys.length !== 1 || !SHAPE_KEYS.has(keys[0] ?? '') || !text.endsWith('\n')) problems.push('not a raspiCamSrv shape');
  }
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
