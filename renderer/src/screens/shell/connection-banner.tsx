import { useEffect, useState } from 'react';
import { useStores } from '../../store/context';
import { handleEvent, type Stores } from '../../store/stores';
import type { PanelEvent } from '../../../../shared/contract';

/** What may have changed while no events arrived: everything the panel shows. */
const REFETCH: PanelEvent['topic'][] = ['session', 'settings', 'api', 'tokens', 'users', 'camera', 'captures'];

/** Refetches like the events would have; handleEvent keeps the admin-only lists for admins. */
export function refetchAfterReconnect(stores: Stores): void {
  for (const topic of REFETCH) handleEvent(stores, { topic });
}

type ConnectionView = 'connected' | 'lost' | 'closing';

/**
 * Says when the core stops answering (the screen underneath stays as it was) and refetches what the
 * panel shows once it answers again, because events may have been missed in between.
 */
export function ConnectionBanner() {
  const stores = useStores();
  const [view, setView] = useState<ConnectionView>('connected');

  useEffect(() => {
    let lost = false;
    let closing = false;
    const stopEvents = stores.client.subscribe((event) => {
      if (event.topic === 'closing') closing = true;
    });
    const stopWatch = stores.client.watchConnection((connected) => {
      if (!connected) {
        lost = true;
        setView(closing ? 'closing' : 'lost');
        return;
      }
      closing = false;
      setView('connected');
      if (lost) refetchAfterReconnect(stores);
      lost = false;
    });
    return () => {
      stopEvents();
      stopWatch();
    };
  }, [stores]);

  if (view === 'connected') return null;
  return (
    <div className="connection" role="alert" data-testid="connection-lost" data-reason={view}>
      <span className="connection__spinner" aria-hidden="true" />
      {view === 'closing' ? 'CamPanel is shutting down' : 'Connection to CamPanel lost — trying again…'}
    </div>
  );
}
