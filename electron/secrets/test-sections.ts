/**
 * For tests: SecretsSections over a real JSON file, with a switch for the states the real implementation
 * reports (no file configured, locked, unusable). Reads and writes the file on every call, like the real one,
 * so a test can look at the bytes on disk.
 */
import { readFile } from 'node:fs/promises';
import type { SecretsSections, SectionFailure } from './secrets-sections.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface TestSectionsControl {
  /** null: usable; otherwise every call answers with this problem. */
  problem: SectionFailure['problem'] | null;
  reads: number;
  updates: number;
}

const MESSAGES: Record<SectionFailure['problem'], string> = {
  none: 'No secrets file is configured',
  locked: 'The secrets file is locked',
  unusable: 'The secrets file is readable by others (mode 0644)',
};

export function jsonFileSections(path: string): { sections: SecretsSections; control: TestSectionsControl } {
  const control: TestSectionsControl = { problem: null, reads: 0, updates: 0 };
  const failure = (): SectionFailure | null => (control.problem ? { ok: false, problem: control.problem, message: MESSAGES[control.problem] } : null);

  const load = async (): Promise<Record<string, Record<string, unknown>>> => {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as Record<string, Record<string, unknown>>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  };
  // One update at a time, as the real implementation's writes are.
  let queue: Promise<unknown> = Promise.resolve();

  const sections: SecretsSections = {
    async read(section) {
      control.reads += 1;
      const failed = failure();
      if (failed) return failed;
      return { ok: true, value: (await load())[section] };
    },
    update(section, update) {
      control.updates += 1;
      const run = async () => {
        const failed = failure();
        if (failed) return failed;
        const document = await load();
        const next = update(document[section]);
        if (next === undefined) delete document[section];
        else document[section] = next;
        await writeFileAtomic(path, JSON.stringify(document, null, 4), { mode: 0o600 });
        return { ok: true as const };
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
  };
  return { sections, control };
}

/** Sections that cannot be used at all (no secrets file configured, locked…): every call answers with the failure. */
export function unavailableSections(failure: Omit<SectionFailure, 'ok'>): SecretsSections & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    read: (section) => {
      calls.push(`read ${section}`);
      return Promise.resolve({ ok: false, ...failure });
    },
    update: (section) => {
      calls.push(`update ${section}`);
      return Promise.resolve({ ok: false, ...failure });
    },
  };
}
