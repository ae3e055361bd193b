/**
 * Malformed HTTP/1.1 requests from a fixed seed, for the listener fuzz tests (api-fuzz.test.ts): bad methods
 * and versions, broken request lines, huge and invalid headers, duplicate and invalid Content-Length, chunked
 * garbage, bad URLs (% escapes, control and 8-bit bytes), JSON and non-JSON bodies, CONNECT, Expect, Upgrade,
 * pipelining, stalls and raw garbage. Every case carries a marker placed wherever the client controls bytes
 * (path, query, header names and values, credentials, bodies, methods), so an echo can be searched for.
 */

export interface FuzzCase {
  kind: string;
  /** Bytes to send, in order (one write each). */
  chunks: Buffer[];
  /** The methods of the complete requests sent, in order, for parsing answers to HEAD. */
  methods: string[];
  /** The request targets (URLs) of those requests, where known, in the same order: whose rules an answer follows. */
  targets: string[];
  /** Never to appear in an answer (compared case-insensitively). */
  marker: string;
}

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzTarget {
  /** The Host a well-formed request sends (the panel refuses any other). */
  host: string;
  /** Paths the server serves, to which mutations are applied. */
  paths: readonly string[];
  /** The path prefix of generated nonsense URLs (default /api). */
  prefix?: string;
  /** Authorization header values that are valid, mixed in among the forged ones (none by default). */
  authorizations?: readonly string[];
  /** Extra bodies for the target's endpoints (form or JSON with the marker), mixed in among the generic ones. */
  bodies?: ReadonlyArray<(marker: string) => { bytes: Buffer; type?: string }>;
}

/** The /system dialect's URLs (privacyIDEA), for the /system run of the fuzz. */
export const SYSTEM_TARGET_PATHS = [
  '/system', '/system/', '/system?x=MARK', '/system/setConfig', '/system/setConfig?MARK=MARK', '/system/setDefault', '/system/MARK',
  '/system/documentation', '/system/random', '/system/random?len=MARK', '/system/random?len=99999&encode=b64', '/system/random?len=-1',
  '/system/nodes', '/system/hsm', '/system/test/MARK', '/system/test/email', '/system/test/HMAC', '/system/test/', '/system/gpgkeys',
  '/system/names/radius', '/system/names/caconnector', '/system/names/MARK', '/system/MARK/MARK', '/system//', '/system/%MARK',
  '/system/MARK%2FMARK', '/api/protected', '/api',
] as const;

/** Bodies /system's endpoints read: form and JSON parameters with the marker in names and values. */
export const SYSTEM_BODIES: ReadonlyArray<(marker: string) => { bytes: Buffer; type?: string }> = [
  (marker) => ({ bytes: Buffer.from(`password=${marker}&len=${marker}&${marker}.type=password`), type: 'application/x-www-form-urlencoded' }),
  (marker) => ({ bytes: Buffer.from(JSON.stringify({ len: marker, encode: 'b64', password: marker, DefaultOtpLen: marker })), type: 'application/json' }),
  (marker) => ({ bytes: Buffer.from(`"splitAtSign": true\n"${marker}": "sha1"\n`), type: 'application/json' }),
  (marker) => ({ bytes: Buffer.from(`{"__proto__": {"${marker}": 1}, "constructor": "${marker}", "len": [1]}`), type: 'application/json' }),
  (marker) => ({ bytes: Buffer.from(`{"${marker}": "%25${marker}", "email.mailserver": "${marker}"}`), type: 'text/plain' }),
  (marker) => ({ bytes: Buffer.from(`--b\r\nContent-Disposition: form-data; name="${marker}"\r\n\r\n1\r\n--b--\r\n`), type: 'multipart/form-data; boundary=b' }),
];

export const API_TARGET_PATHS = [
  '/api', '/api/', '/api/login', '/api/refresh', '/api/protected', '/api/info', '/api/probe', '/api/take_photo',
  '/api/take_raw_photo_both', '/api/record_video', '/api/stop_video', '/api/switch_cameras', '/video_feed', '/video_feed2',
  '/photo_feed', '/photo_feed2', '/api/stream?camera=0', '/api/stream?camera=MARK', '/api/snapshot?camera=-1',
  '/api/snapshot?camera=99999999999', '/?action=stream', '/?action=snapshot&camera=1', '/?action=MARK', '/',
] as const;

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'PURGE', 'PROPFIND', 'M-SEARCH', 'LOCK'];
const JUNK = ['%', '%zz', '%c0%af', '%00', '%2e%2e/', '..', '//', '\u0000', '\u0007', '\u007f', '\u00ff', ' ', '\t', '#frag', '?a=1&a=2', ';x', '%%', '%u202e'];

export function generateCases(seed: number, count: number, target: FuzzTarget): FuzzCase[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number) => random() < p;
  const word = (length: number) => Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[int(36)]).join('');

  const prefix = target.prefix ?? '/api';
  const cases: FuzzCase[] = [];
  for (let n = 0; n < count; n++) {
    const marker = `Zq${word(10)}`;
    const mark = (text: string) => text.replace(/MARK/g, marker);

    const path = (): string => {
      const base = mark(pick(target.paths));
      switch (int(6)) {
        case 0:
          return `${prefix}/${marker}${pick(JUNK)}${word(3)}`;
        case 1:
          return `${base}${pick(JUNK)}${marker}`;
        case 2:
          return `${base}${base.includes('?') ? '&' : '?'}${marker}=${pick(JUNK)}&token=${marker}`;
        default:
          return base;
      }
    };
    const bearer = () => {
      if (target.authorizations && chance(0.7)) return pick(target.authorizations);
      const segment = (text: string) => Buffer.from(text).toString('base64url');
      return pick([
        `Bearer ${segment(`{"alg":"${marker}"`)}.${segment(marker)}.${marker}`,
        `Bearer ${segment(marker)}.${segment(`{"sub":"${marker}"}`)}.x`,
        `Bearer ${segment('{"alg":"HS256","typ":"JWT"}')}.${segment(`{"sub":"${marker}","type":"access"}`)}.${marker}`,
        `Bearer ${marker}`,
        `Basic ${Buffer.from(`${marker}:${marker}`).toString('base64')}`,
        `Basic ${marker}`,
        `${marker} ${marker}`,
      ]);
    };
    const body = (): { bytes: Buffer; type?: string } => {
      if (target.bodies && chance(0.5)) return pick(target.bodies)(marker);
      switch (int(7)) {
        case 0:
          return { bytes: Buffer.from(JSON.stringify({ username: marker, password: marker })), type: 'application/json' };
        case 1:
          return { bytes: Buffer.from(`{"properties":[{"property":"${marker}"}],"duration":"${marker}"}`), type: 'application/json' };
        case 2:
          return { bytes: Buffer.from(`{"${marker}":`), type: 'application/json' };
        case 3:
          return { bytes: Buffer.concat([Buffer.from(`{"${marker}":"`), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('"}')]), type: 'application/json' };
        case 4:
          return { bytes: Buffer.from(`${marker}=${marker}`), type: 'application/x-www-form-urlencoded' };
        case 5:
          return { bytes: Buffer.from(JSON.stringify({ pad: 'p'.repeat(70_000), marker })), type: 'application/json' };
        default:
          return { bytes: Buffer.from(marker), type: `text/${marker}` };
      }
    };

    /** A request whose parts can each be well-formed or not. */
    const request = (options: { method?: string; framing?: boolean; headers?: boolean } = {}): { bytes: Buffer; method: string; target: string } => {
      const method = options.method ?? pick(METHODS);
      const requestTarget = path();
      const lines = [`${method} ${requestTarget} HTTP/1.1`];
      const hostRoll = int(20);
      if (hostRoll === 0) lines.push(`Host: ${marker}`);
      else if (hostRoll === 1) lines.push(`Host: ${target.host}`, `Host: ${marker}`);
      else if (hostRoll !== 2) lines.push(`Host: ${target.host}`);
      // With valid tokens to offer, most requests carry one, so that the endpoints behind the check are fuzzed too.
      if (chance(target.authorizations ? 0.8 : 0.4)) lines.push(`${target.authorizations && chance(0.5) ? 'PI-Authorization' : 'Authorization'}: ${bearer()}`);
      if (chance(0.2)) lines.push(`Cookie: campanel_session=${marker}`, `X-CamPanel: 1`);
      if (chance(0.1)) lines.push(`X-${marker}: ${marker}`);
      if (chance(0.05)) lines.push(`Connection: ${pick(['close', 'keep-alive', 'Upgrade', marker])}`, `Upgrade: ${pick(['websocket', 'h2c', marker])}`);
      if (options.headers) lines.push(...badHeaders());
      const hasBody = chance(0.5);
      const { bytes, type } = hasBody ? body() : { bytes: Buffer.alloc(0), type: undefined };
      if (type !== undefined && chance(0.9)) lines.push(`Content-Type: ${type}`);
      let payload = bytes;
      if (options.framing) {
        const framed = badFraming(bytes);
        lines.push(...framed.headers);
        payload = framed.payload;
      } else if (hasBody || chance(0.1)) {
        lines.push(`Content-Length: ${bytes.length}`);
      }
      return { bytes: Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]), method, target: requestTarget };
    };

    const badFraming = (bytes: Buffer): { headers: string[]; payload: Buffer } => {
      const chunk = (data: Buffer) => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n0\r\n\r\n')]);
      switch (int(10)) {
        case 0:
          return { headers: [`Content-Length: ${bytes.length}`, `Content-Length: ${bytes.length + 1}`], payload: bytes };
        case 1:
          return { headers: [`Content-Length: ${pick(['abc', '-1', '1 2', '+5', '0x10', '', marker, '99999999999999999999'])}`], payload: bytes };
        case 2:
          return { headers: [`Content-Length: ${bytes.length}`, 'Transfer-Encoding: chunked'], payload: chunk(bytes) };
        case 3:
          return { headers: ['Transfer-Encoding: chunked'], payload: Buffer.from(`${marker}\r\n${marker}\r\n`) };
        case 4:
          return { headers: ['Transfer-Encoding: chunked'], payload: chunk(bytes) };
        case 5:
          return { headers: [`Transfer-Encoding: ${pick(['gzip', 'chunked, chunked', 'identity', marker, 'chunked;x=1'])}`], payload: chunk(bytes) };
        case 6:
          return { headers: ['Transfer-Encoding: chunked'], payload: Buffer.from(`5;${marker}=${'e'.repeat(20_000)}\r\nhello\r\n0\r\n\r\n`) };
        case 7:
          // Shorter than the body: the rest is read as the next request.
          return { headers: [`Content-Length: ${Math.floor(bytes.length / 2)}`], payload: Buffer.concat([bytes, Buffer.from(` ${marker} HTTP/1.1\r\n\r\n`)]) };
        case 8:
          return { headers: ['Expect: 100-continue', `Content-Length: ${bytes.length}`], payload: bytes };
        default:
          return { headers: [`Expect: ${marker}`, `Content-Length: ${bytes.length}`], payload: bytes };
      }
    };

    const badHeaders = (): string[] => {
      switch (int(8)) {
        case 0:
          return [`X-Big: ${marker}${'a'.repeat(17_000)}`];
        case 1:
          return Array.from({ length: 300 }, (_v, i) => `X-${i}: ${marker}${'b'.repeat(60)}`);
        case 2:
          return [`${marker} no colon`];
        case 3:
          return [`X Space${marker}: x`];
        case 4:
          return ['X-Fold: a', ` ${marker} folded`];
        case 5:
          return [`X-Ctl: ${marker}\u0000\u0001`];
        case 6:
          return [`X-8bit: ${marker}\u00e9\u00ff`];
        default:
          return [`: ${marker}`];
      }
    };

    const requestLine = (): { bytes: Buffer; method: string; target: string } => {
      const rest = `\r\nHost: ${target.host}\r\nX-M: ${marker}\r\n\r\n`;
      const line = pick([
        `${marker} ${prefix} HTTP/1.1`,
        `get ${prefix}/login HTTP/1.1`,
        `G\u0000T ${prefix}/${marker} HTTP/1.1`,
        `GET ${prefix}/${marker} HTTP/${pick(['1.2', '2.0', '0.9', '1.1x', '11', '1', '3.0'])}`,
        `GET ${prefix}/${marker} HTTPS/1.1`,
        `GET ${prefix}/${marker}`,
        `GET  ${prefix}/${marker}  HTTP/1.1`,
        `GET\t${prefix}/${marker}\tHTTP/1.1`,
        `GET http://${marker}${prefix}/protected HTTP/1.1`,
        `GET * HTTP/1.1`,
        `OPTIONS * HTTP/1.1`,
        `GET ${prefix}/${marker}\u0001\u007f HTTP/1.1`,
        `GET ${prefix}/${marker}\u00e9\u00ff HTTP/1.1`,
        `GET ${prefix}/${marker}${'x'.repeat(20_000)} HTTP/1.1`,
        `GET ${marker} HTTP/1.1`,
        `${pick(METHODS)} /${marker}/..${prefix}/login HTTP/1.1`,
      ]);
      const text = chance(0.2) ? `${line}${rest}`.replace(/\r\n/g, '\n') : `${line}${rest}`;
      const [method = '', requestTarget = ''] = line.split(/[ \t]+/);
      return { bytes: Buffer.from(text, 'latin1'), method, target: requestTarget };
    };

    const garbage = (): Buffer => {
      switch (int(4)) {
        case 0:
          return Buffer.from(Array.from({ length: 1 + int(300) }, () => int(256)));
        case 1:
          return Buffer.from(`PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n${marker}`);
        case 2:
          return Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), Buffer.from(marker)]);
        default:
          return Buffer.from(`\r\n\r\n${marker}\r\n\r\n`);
      }
    };

    const roll = int(100);
    if (roll < 35) {
      const { bytes, method, target: url } = request();
      cases.push({ kind: 'request', chunks: [bytes], methods: [method], targets: [url], marker });
    } else if (roll < 55) {
      const { bytes, method, target: url } = request({ framing: true });
      cases.push({ kind: 'framing', chunks: [bytes], methods: [method], targets: [url], marker });
    } else if (roll < 67) {
      const { bytes, method, target: url } = requestLine();
      cases.push({ kind: 'request line', chunks: [bytes], methods: [method], targets: [url], marker });
    } else if (roll < 77) {
      const { bytes, method, target: url } = request({ headers: true });
      cases.push({ kind: 'headers', chunks: [bytes], methods: [method], targets: [url], marker });
    } else if (roll < 83) {
      cases.push({ kind: 'garbage', chunks: [garbage()], methods: [], targets: [], marker });
    } else if (roll < 89) {
      const connect = pick([`CONNECT ${marker}:443 HTTP/1.1\r\nHost: ${marker}:443\r\n\r\n`, `CONNECT ${prefix}/${marker} HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`]);
      const tracePath = path();
      const trace = `TRACE ${tracePath} HTTP/1.1\r\nHost: ${target.host}\r\nX-M: ${marker}\r\n\r\n`;
      const chosen = pick([connect, trace]);
      cases.push({ kind: 'connect/trace', chunks: [Buffer.from(chosen, 'latin1')], methods: [], targets: chosen === trace ? [tracePath] : [], marker });
    } else if (roll < 96) {
      const first = request({ method: 'GET' });
      const second = chance(0.5) ? request() : { bytes: garbage(), method: 'garbage', target: '' };
      cases.push({ kind: 'pipelined', chunks: [Buffer.concat([first.bytes, second.bytes])], methods: [first.method, second.method], targets: [first.target, second.target], marker });
    } else {
      // Stalls: headers or body that stop half-way; the listener must answer 408 and let go.
      const { bytes, method, target: url } = request({ method: pick(['POST', 'GET']) });
      const head = bytes.subarray(0, bytes.indexOf('\r\n\r\n') + 4).toString('latin1');
      const stalled = chance(0.5) ? bytes.subarray(0, Math.max(1, Math.floor(head.length / 2))) : Buffer.from(`${head.replace(/Content-Length: \d+\r\n/i, '')}`.replace(/\r\n\r\n$/, `\r\nContent-Length: 100\r\n\r\n{"${marker}`), 'latin1');
      cases.push({ kind: 'stall', chunks: [stalled], methods: [method], targets: [url], marker });
    }
  }
  return cases;
}
