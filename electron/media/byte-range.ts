/**
 * The one `Range: bytes=…` form a <video> element sends when it seeks (RFC 9110 §14.1.2): a single range.
 * Anything else (several ranges, other units, nonsense) is ignored and the whole file is sent, as the RFC
 * allows; a range that starts past the end is unsatisfiable (416).
 */

export type RangeResult = { kind: 'whole' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const SINGLE = /^bytes=(\d*)-(\d*)$/;

/** @param end inclusive, as in Content-Range */
export function parseRange(header: string | null | undefined, size: number): RangeResult {
  if (!header) return { kind: 'whole' };
  const match = SINGLE.exec(header.trim());
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || start >= size) return { kind: 'unsatisfiable' };
  if (end < start) return { kind: 'whole' }; // syntactically invalid: ignore the header
  return { kind: 'partial', start, end };
}
