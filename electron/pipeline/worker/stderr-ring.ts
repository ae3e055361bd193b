/**
 * The last lines a child process wrote to stderr: what the panel shows when a camera fails.
 * Bounded in both directions (line count and line length) whatever the child prints.
 */
export class StderrRing {
  private lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = 20,
    private readonly maxLength = 1000,
    /** Called with every complete line (the worker logs them). */
    private readonly onLine: ((line: string) => void) | null = null,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const pieces = text.split(/\r?\n|\r/);
    // The last piece has no line end yet; keep it (bounded) for the next chunk.
    this.partial = (pieces.pop() ?? '').slice(0, this.maxLength);
    for (const piece of pieces) this.add(piece);
  }

  /** Takes the unterminated last line too (call when the process has exited). */
  flush(): void {
    if (this.partial !== '') this.add(this.partial);
    this.partial = '';
  }

  snapshot(): string[] {
    return this.partial === '' ? [...this.lines] : [...this.lines, this.partial].slice(-this.maxLines);
  }

  clear(): void {
    this.lines = [];
    this.partial = '';
  }

  private add(raw: string): void {
    const line = raw.trimEnd().slice(0, this.maxLength);
    if (line === '') return;
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.shift();
    this.onLine?.(line);
  }
}
