/**
 * Test support: runs a reStructuredText document through the real docutils (the `python3-docutils` package that
 * `npm run setup` installs) and reports every message it raised and the text the reader ends up with. A missing
 * python3 or docutils is a failure that says what to do, never a skip.
 */
import { spawnSync } from 'node:child_process';

export interface DocutilsReport {
  /** Every system message at INFO level or above, e.g. "<string>:12: (WARNING/2) Inline emphasis start-string without end-string." */
  messages: Array<{ level: number; text: string }>;
  /** The document's text as docutils parsed it (markup removed): what a reader sees. */
  text: string;
  /** The HTML writer's output, produced with halt_level 2 (any warning stops it). */
  html: string;
}

// Parses once for the messages and the text (report_level 1: infos too), then writes HTML the way the brief's
// one-liner does (halt_level 2, report_level 2) so that the HTML writer's own checks run as well.
const SCRIPT = String.raw`
import io, json, re, sys
import docutils.core, docutils.utils
source = sys.stdin.buffer.read().decode('utf-8')
stream = io.StringIO()
doctree = docutils.core.publish_doctree(source, settings_overrides={
    'report_level': 1, 'halt_level': 5, 'warning_stream': stream, 'input_encoding': 'unicode'})
messages = []
for line in stream.getvalue().splitlines():
    match = re.search(r'\((?:DEBUG|INFO|WARNING|ERROR|SEVERE)/(\d)\)', line)
    if match:
        messages.append({'level': int(match.group(1)), 'text': line})
html = ''
if not any(m['level'] >= 2 for m in messages):
    html = docutils.core.publish_string(source, writer_name='html', settings_overrides={
        'halt_level': 2, 'report_level': 2, 'input_encoding': 'unicode', 'output_encoding': 'unicode'})
sys.stdout.write(json.dumps({'messages': messages, 'text': doctree.astext(), 'html': html}))
`;

const CANDIDATES = ['python3', '/usr/bin/python3'];
const found = new Map<string, string | null>();

/** The first python3 that can import docutils (a pyenv python3 on PATH may lack the apt package's module). */
export function pythonWithDocutils(candidates: readonly string[] = CANDIDATES): string {
  const cacheKey = candidates.join('\0');
  if (!found.has(cacheKey)) {
    const works = (python: string) => spawnSync(python, ['-c', 'import docutils.core'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
    found.set(cacheKey, candidates.find(works) ?? null);
  }
  const python = found.get(cacheKey);
  if (!python) {
    throw new Error('python3 with docutils is not installed, so documentation.rst cannot be checked: run `npm run setup` (it installs python3-docutils).');
  }
  return python;
}

export function checkWithDocutils(document: string): DocutilsReport {
  const result = spawnSync(pythonWithDocutils(), ['-c', SCRIPT], {
    input: Buffer.from(document, 'utf8'),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`docutils failed (exit ${result.status}): ${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout) as DocutilsReport;
}
