import { describe, expect, it } from 'vitest';
import { boundaryOf, indexOfBytes, MjpegParser, MjpegStreamError, type MjpegFrame } from './mjpeg-parser';

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const join = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** A fake JPEG whose bytes include CR, LF, dashes and the boundary itself, as real JPEG data may. */
const jpeg = (seed: number, size = 300): Uint8Array => {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7) % 256;
  if (size >= 40) out.set(bytes('\r\n--frame\r\n\r\n'), 20);
  out[0] = 0xff;
  out[1] = 0xd8;
  return out;
};

/** A part exactly as electron/api-server/streams/mjpeg-client.ts writes it. */
const part = (body: Uint8Array, timestamp = 1764150000.123456): Uint8Array =>
  join(
    bytes(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${body.length}\r\nX-Timestamp: ${timestamp.toFixed(6)}\r\n\r\n`),
    body,
    bytes('\r\n'),
  );

const feed = (parser: MjpegParser, ...chunks: Uint8Array[]): MjpegFrame[] => chunks.flatMap((c) => parser.push(c.slice()));

describe('MjpegParser', () => {
  it('reads one frame with its timestamp', () => {
    const body = jpeg(1);
    const frames = feed(new MjpegParser(), part(body, 1764150000.5));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.jpeg).toEqual(body);
    expect(frames[0]!.timestamp).toBeCloseTo(1764150000.5, 6);
  });

  it('reads two frames from one chunk, in order', () => {
    const a = jpeg(1);
    const b = jpeg(2, 500);
    const frames = feed(new MjpegParser(), join(part(a, 1), part(b, 2)));
    expect(frames.map((f) => f.jpeg)).toEqual([a, b]);
    expect(frames.map((f) => f.timestamp)).toEqual([1, 2]);
  });

  it('gives the same frames whichever byte boundaries the chunks are split at', () => {
    const a = jpeg(3, 120);
    const b = jpeg(4, 90);
    const stream = join(part(a, 10), part(b, 11));
    for (let cut = 0; cut <= stream.length; cut++) {
      for (const second of [cut, Math.min(stream.length, cut + 1), Math.min(stream.length, cut + 97)]) {
        const frames = feed(new MjpegParser(), stream.subarray(0, cut), stream.subarray(cut, second), stream.subarray(second));
        expect(frames.map((f) => f.jpeg), `cut at ${cut} and ${second}`).toEqual([a, b]);
      }
    }
  });

  it('reads a frame split into one-byte chunks and into many uneven chunks', () => {
    const body = jpeg(5, 2000);
    const stream = join(part(body), part(jpeg(6, 10)));
    const parser = new MjpegParser();
    const one: MjpegFrame[] = [];
    for (let i = 0; i < stream.length; i++) one.push(...parser.push(stream.slice(i, i + 1)));
    expect(one.map((f) => f.jpeg)).toEqual([body, jpeg(6, 10)]);

    const uneven = new MjpegParser();
    const got: MjpegFrame[] = [];
    for (let at = 0, size = 1; at < stream.length; at += size, size = (size * 7) % 113 + 1) {
      got.push(...uneven.push(stream.slice(at, at + size)));
    }
    expect(got.map((f) => f.jpeg)).toEqual([body, jpeg(6, 10)]);
  });

  it('accepts headers in any order and case, extra headers, LF-only line ends', () => {
    const body = jpeg(7, 64);
    const stream = join(
      bytes(`--frame\r\nx-timestamp: 42.25\r\nX-Extra: yes\r\ncontent-length: ${body.length}\r\nCONTENT-TYPE: image/jpeg\r\n\r\n`),
      body,
      bytes(`\r\n--frame\nContent-Length: ${body.length}\n\n`),
      body,
      bytes('\n'),
    );
    const frames = feed(new MjpegParser(), stream);
    expect(frames.map((f) => f.timestamp)).toEqual([42.25, null]);
    expect(frames.map((f) => f.jpeg)).toEqual([body, body]);
  });

  it('reads a part without Content-Length up to the next boundary', () => {
    const body = bytes('\xff\xd8 some jpeg \r\n not a boundary \xff\xd9');
    const stream = join(bytes('--frame\r\nContent-Type: image/jpeg\r\n\r\n'), body, bytes('\r\n'), part(jpeg(8, 40)));
    for (let cut = 0; cut <= stream.length; cut++) {
      const frames = feed(new MjpegParser(), stream.subarray(0, cut), stream.subarray(cut));
      expect(frames.map((f) => f.jpeg), `cut at ${cut}`).toEqual([body, jpeg(8, 40)]);
    }
  });

  it('skips garbage before, between and inside parts and resynchronises on the next boundary', () => {
    const a = jpeg(9, 50);
    const b = jpeg(10, 60);
    const stream = join(
      bytes('HTTP junk \x00\x01 --fra'),
      part(a),
      bytes('noise --frame\x00\xff binary after a boundary-like string '),
      bytes('--frame\r\nthis line has no colon\r\n\r\n'),
      part(b),
      bytes('--frame--\r\n\r\n'),
    );
    expect(feed(new MjpegParser(), stream).map((f) => f.jpeg)).toEqual([a, b]);
  });

  it('ignores parts that are not JPEG and a bad Content-Length', () => {
    const a = jpeg(11, 30);
    const stream = join(
      bytes('--frame\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello\r\n'),
      bytes('--frame\r\nContent-Length: -3\r\n\r\n'),
      part(a),
    );
    expect(feed(new MjpegParser(), stream).map((f) => f.jpeg)).toEqual([a]);
  });

  it('refuses a frame over the size limit as soon as its header says so', () => {
    const parser = new MjpegParser({ maxFrameBytes: 1000 });
    expect(() => parser.push(bytes('--frame\r\nContent-Length: 1001\r\n\r\n'))).toThrow(MjpegStreamError);
    expect(() => new MjpegParser({ maxFrameBytes: 1000 }).push(bytes('--frame\r\nContent-Length: 1000\r\n\r\n'))).not.toThrow();
  });

  it('refuses a part without length that grows past the frame limit', () => {
    const parser = new MjpegParser({ maxFrameBytes: 100 });
    parser.push(bytes('--frame\r\n\r\n'));
    expect(() => parser.push(new Uint8Array(101).fill(0x41))).toThrow(/over the 100-byte limit/);
  });

  it('refuses a header that never ends', () => {
    const parser = new MjpegParser({ maxHeaderBytes: 64 });
    parser.push(bytes('--frame\r\n'));
    expect(() => parser.push(bytes(`X-Long: ${'a'.repeat(80)}`))).toThrow(/part header is over 64 bytes/);
  });

  it('keeps memory flat while seeking through a long run of garbage', () => {
    const parser = new MjpegParser();
    for (let i = 0; i < 100; i++) expect(parser.push(new Uint8Array(100_000).fill(0x2d))).toEqual([]);
    expect(feed(parser, part(jpeg(12, 20))).map((f) => f.jpeg)).toEqual([jpeg(12, 20)]);
  });

  it('uses another boundary when the response names one', () => {
    const body = jpeg(13, 25);
    const parser = new MjpegParser({ boundary: boundaryOf('multipart/x-mixed-replace; boundary="--boundarydonotcross"') });
    const stream = join(bytes(`--boundarydonotcross\r\nContent-Length: ${body.length}\r\n\r\n`), body, bytes('\r\n'));
    expect(feed(parser, stream).map((f) => f.jpeg)).toEqual([body]);
  });
});

describe('boundaryOf / indexOfBytes', () => {
  it('reads the boundary parameter, frame when there is none', () => {
    expect(boundaryOf('multipart/x-mixed-replace; boundary=frame')).toBe('frame');
    expect(boundaryOf('multipart/x-mixed-replace;boundary=abc; charset=x')).toBe('abc');
    expect(boundaryOf('multipart/x-mixed-replace')).toBe('frame');
    expect(boundaryOf(null)).toBe('frame');
  });

  it('finds a needle at the start, the end, after a partial match, or not at all', () => {
    const hay = bytes('aab--fr--frame');
    expect(indexOfBytes(hay, bytes('aab'))).toBe(0);
    expect(indexOfBytes(hay, bytes('--frame'))).toBe(7);
    expect(indexOfBytes(hay, bytes('--frames'))).toBe(-1);
    expect(indexOfBytes(hay, bytes('a'), 1)).toBe(1);
  });
});
