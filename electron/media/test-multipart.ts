/**
 * Test helper: reads multipart/x-mixed-replace parts (boundary "frame") from a WHATWG stream reader, as the
 * panel page's parser does, checking each part's Content-Length against its bytes.
 */
export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

export class PartReader {
  #buffer = Buffer.alloc(0);

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** The next whole part; throws when the stream ends first or a part is malformed. */
  async next(): Promise<Part> {
    for (;;) {
      const part = this.#take();
      if (part) return part;
      const { done, value } = await this.reader.read();
      if (done) throw new Error('stream ended');
      this.#buffer = Buffer.concat([this.#buffer, Buffer.from(value)]);
    }
  }

  #take(): Part | null {
    const headEnd = this.#buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return null;
    const lines = this.#buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
    if (lines[0] !== '--frame') throw new Error(`bad boundary line ${JSON.stringify(lines[0])}`);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length']);
    if (!Number.isInteger(length)) throw new Error('part without Content-Length');
    const start = headEnd + 4;
    if (this.#buffer.length < start + length + 2) return null;
    const body = this.#buffer.subarray(start, start + length);
    if (this.#buffer.subarray(start + length, start + length + 2).toString('latin1') !== '\r\n') throw new Error('part not followed by CRLF');
    this.#buffer = this.#buffer.subarray(start + length + 2);
    return { headers, body: Buffer.from(body) };
  }
}
