/** Settings → System (admins): the panel's face of privacyIDEA's /system endpoints. */
import { useEffect } from 'react';
import { Notice } from '../../../components/notice';
import { useStores, useSystem } from '../../../store/context';
import { ConfigEntries } from './config-entries';
import { DefaultsSection } from './defaults-section';
import { DocumentationSection } from './documentation-section';
import { NodesSection } from './nodes-section';
import { RandomKey } from './random-key';
import { SecretsSection } from './secrets-section';

/** The sections by their headings' ids, for the jump list. */
const SECTIONS = [
  { heading: 'config-heading', label: 'Config entries' },
  { heading: 'defaults-heading', label: 'Defaults' },
  { heading: 'random-heading', label: 'Random key' },
  { heading: 'documentation-heading', label: 'Documentation' },
  { heading: 'nodes-heading', label: 'Nodes' },
  { heading: 'secrets-heading', label: 'Secrets' },
] as const;

/** Scroll to a section and put the focus on its heading, so that Tab goes on from there. */
function jumpTo(id: string): void {
  const heading = document.getElementById(id);
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.scrollIntoView({ block: 'start' });
  heading.focus({ preventScroll: true });
}

export function SystemTab() {
  const { system, secrets } = useStores();
  const loaded = useSystem((s) => s.overview !== null);
  const loadError = useSystem((s) => s.loadError);

  useEffect(() => {
    void system.getState().refresh();
    void secrets.getState().refresh();
  }, [system, secrets]);

  return (
    <div className="stack system">
      {/* Six sections make a long page on an 800×480 screen: one tap to each. */}
      <nav className="jump" aria-label="System sections">
        {SECTIONS.map((s) => (
          <button key={s.heading} type="button" className="button button--small jump__item" onClick={() => jumpTo(s.heading)}>
            {s.label}
          </button>
        ))}
      </nav>
      {loadError && <Notice tone="error">{loadError.message}</Notice>}
      {!loaded && !loadError && <p role="status">Loading system settings…</p>}
      {loaded && (
        <>
          <ConfigEntries />
          <DefaultsSection />
        </>
      )}
      <RandomKey />
      <DocumentationSection />
      {loaded && <NodesSection />}
      <SecretsSection />
    </div>
  );
}
