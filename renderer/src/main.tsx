import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { choosePanelClient } from './client/panel-client';
import { watchUserSession } from './client/session-watch';
import { StoresProvider } from './store/context';
import { createStores, type Stores } from './store/stores';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/settings.css';
import './styles/live.css';
import './styles/captures.css';
import './styles/camera-settings.css';
import './styles/system.css';

let stores: Stores | null = null;
const onPanelSessionLost = () => stores?.session.getState().markLinkExpired();
const onLoginLost = () => void stores?.session.getState().refresh();
stores = createStores(watchUserSession(choosePanelClient(onPanelSessionLost), onLoginLost));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <App />
      </StoresProvider>
    </StrictMode>,
  );
}
