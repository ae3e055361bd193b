/**
 * Raw HTTP requests with node:http: raspiCamSrv clients send things fetch() refuses (GET bodies),
 * and the tests compare bodies byte for byte.
 *
 * Every answer from the API port is checked against docs/openapi.json (support/openapi.ts) before the test
 * sees it, so no e2e test can pass on an answer the document does not describe. Two kinds of request are
 * left out: those a test marks `offSpec` (an unknown URL, a refused method: deliberately outside the
 * document), and those to a panel server (`campanel serve`'s other port, whose RPC is not part of the API
 * document), whose origin is registered with markPanelOrigin.
 */
import { request } from 'node:http';
import { checkHttpAnswer } from './openapi.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The request is outside docs/openapi.json on purpose: its answer is not checked against the document. */
  offSpec?: boolean;
}

const panelOrigins = new Set<string>();

/** Answers from this origin (a panel server: http://127.0.0.1:PORT) are not the API's and are not checked. */
export function markPanelOrigin(url: string): void {
  panelOrigins.add(new URL(url).origin);
}

/** The panel sends its Content-Security-Policy on every answer; the API port never does. Used only to explain a failure. */
const looksLikePanel = (headers: RawResponse['headers']): boolean => headers['content-security-policy'] !== undefined;

function checkAnswer(method: string, url: string, response: RawResponse): void {
  try {
    checkHttpAnswer(method, url, response);
  } catch (error) {
    if (!looksLikePanel(response.headers) || !(error instanceof Error)) throw error;
    throw new Error(`${error.message} (this answer came from a panel server: register its origin with markPanelOrigin)`, { cause: error });
  }
}

export function http(url: string, options: HttpOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const method = options.method ?? 'GET';
    const headers = { ...options.headers };
    // node:http frames a GET or DELETE body with neither header: the server would read it as the next request.
    const framed = Object.keys(headers).some((name) => /^(content-length|transfer-encoding)$/i.test(name));
    if (options.body !== undefined && !framed) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const response = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() };
        try {
          if (!options.offSpec && !panelOrigins.has(new URL(url).origin)) checkAnswer(method, url, response);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve(response);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export const json = (body: unknown) => ({
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** An application/x-www-form-urlencoded body (privacyIDEA's clients post forms). */
export const form = (fields: Record<string, string>) => ({
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
