import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { apiUrls } from '../api-server.js';
import { flaskJson } from './flask-json.js';

describe('flaskJson (Flask jsonify, non-debug)', () => {
  it('sorts keys at every level, compact, with a trailing newline', () => {
    expect(flaskJson({ refresh_token: 'r', access_token: 'a', nested: { b: [{ z: 1, y: 2 }], a: null } })).toBe(
      '{"access_token":"a","nested":{"a":null,"b":[{"y":2,"z":1}]},"refresh_token":"r"}\n',
    );
  });

  it('escapes non-ASCII and DEL like ensure_ascii, surrogate pairs as two escapes', () => {
    expect(flaskJson({ message: 'Hello, Jürgen 📷\u007f "q" \n' })).toBe(
      '{"message":"Hello, J\\u00fcrgen \\ud83d\\udcf7\\u007f \\"q\\" \\n"}\n',
    );
  });
});

describe('apiUrls', () => {
  it('lists loopback and every external IPv4 address for 0.0.0.0', () => {
    const external = Object.values(networkInterfaces())
      .flatMap((entries) => entries ?? [])
      .filter((entry) => entry.family === 'IPv4' && !entry.internal)
      .map((entry) => `http://${entry.address}:5000/api`);
    expect(apiUrls('0.0.0.0', 5000)).toEqual(['http://127.0.0.1:5000/api', ...new Set(external)]);
  });

  it('uses the configured host as is, IPv6 literals in brackets', () => {
    expect(apiUrls('192.168.1.20', 5000)).toEqual(['http://192.168.1.20:5000/api']);
    expect(apiUrls('::1', 8080)).toEqual(['http://[::1]:8080/api']);
  });
});
