/**
 * Safe reStructuredText building blocks for documentation.rst. Every value in that document is text someone typed
 * (config keys and values, descriptions, user, node and device names, paths), so none is written as it comes:
 *
 * - Values go into line blocks (`| text`). Inside a line block reStructuredText parses inline markup only, so a
 *   value that looks like a list, a section underline, a comment (`..`), a directive or a table stays text.
 * - Inline markup characters (`\ * ` | _`) are backslash-escaped, and "::" never appears unescaped (a paragraph
 *   ending in "::" announces a literal block).
 * - Every character Python's splitlines() treats as a line break (docutils splits with it, so \v, \f, \x1c–\x1e,
 *   \x85, U+2028 and U+2029 count as well as \n and \r) starts a new line of the block, so a value can never leave
 *   its line; other control characters and lone surrogates become U+FFFD, tabs become spaces.
 */

/** The text's lines with every line break docutils would see, and with unprintable characters replaced. */
export function textLines(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  let afterCr = false;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0xfffd;
    if (afterCr && code === 0x0a) {
      afterCr = false;
      continue;
    }
    afterCr = code === 0x0d;
    if (isLineBreak(code)) {
      lines.push(line);
      line = '';
    } else if (code === 0x09) {
      line += ' ';
    } else if (isUnprintable(code)) {
      line += '\ufffd';
    } else {
      line += ch;
    }
  }
  lines.push(line);
  return lines;
}

function isLineBreak(code: number): boolean {
  return (code >= 0x0a && code <= 0x0d) || (code >= 0x1c && code <= 0x1e) || code === 0x85 || code === 0x2028 || code === 0x2029;
}

function isUnprintable(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff;
}

const MARKUP = new Set(['\\', '*', '`', '|', '_']);

/** One line of text with inline markup escaped; it must not contain line breaks (see textLines). */
export function escapeInline(line: string): string {
  let out = '';
  let previous = '';
  for (const ch of line) {
    // A colon after a colon is escaped, so "::" (a literal-block marker at the end of a paragraph) never appears.
    out += MARKUP.has(ch) || (ch === ':' && previous === ':') ? `\\${ch}` : ch;
    previous = ch;
  }
  return out;
}

/** Text for a one-line spot such as a bullet: line breaks become spaces. */
export function inlineText(text: string): string {
  return escapeInline(textLines(text).join(' ').trim());
}

/** The lines of one table cell (or one value): a line block, or a fixed note when there is nothing to show. */
export type Cell = string[];

export const note = (words: string): Cell => [`*(${words})*`];
export const literal = (fixed: string): Cell => [`\`\`${fixed}\`\``];

/** A value as a line block; null → "(not set)", "" → "(empty)", only spaces → "(blank)". */
export function valueCell(text: string | null): Cell {
  if (text === null) return note('not set');
  if (text === '') return note('empty');
  const lines = textLines(text).map((line) => `| ${escapeInline(line)}`.trimEnd());
  return lines.every((line) => line === '|') ? note('blank') : lines;
}

export const yesNo = (flag: boolean): Cell => valueCell(flag ? 'yes' : 'no');

export function title(text: string, underline: '=' | '-'): string {
  return `${text}\n${underline.repeat(text.length)}`;
}

/**
 * A list-table: unlike grid tables it needs no column widths, so a long or multi-line value cannot break it.
 * Headers are fixed words from this module's callers, never user text.
 */
export function listTable(headers: string[], rows: Cell[][]): string {
  const out = ['.. list-table::', '   :header-rows: 1', ''];
  for (const row of [headers.map((header) => [header]), ...rows]) {
    row.forEach((cell, index) => {
      const [first = '', ...rest] = cell;
      out.push(`${index === 0 ? '   * - ' : '     - '}${first}`, ...rest.map((line) => `       ${line}`));
    });
  }
  return out.join('\n');
}
