import { useEffect, useState } from 'react';
import { useStores } from '../store/context';
import { CapturesScreen } from './captures/captures-screen';
import { LiveScreen } from './live/live-screen';
import { SettingsScreen } from './settings/settings-screen';
import type { SettingsTabId } from './settings/settings-tabs';
import { MainNav, type MainScreenId } from './shell/main-nav';
import { PipelineIndicator } from './shell/pipeline-indicator';
import { UserMenu } from './shell/user-menu';

/** The sticky top bar (brand, main navigation, camera state, user) and the chosen screen; Live first. */
export function AppShell() {
  const { camera } = useStores();
  const [screen, setScreen] = useState<MainScreenId>('live');
  const [tab, setTab] = useState<SettingsTabId>('general');

  useEffect(() => {
    // 'camera' events keep it current from here (store/stores.ts).
    void camera.getState().refresh();
  }, [camera]);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <span className="topbar__brand">CamPanel</span>
          <MainNav current={screen} onSelect={setScreen} />
          <PipelineIndicator />
          <UserMenu />
        </div>
      </header>
      <main className={`content content--${screen}`}>
        {screen === 'live' && (
          <LiveScreen
            onOpenCameraSettings={() => {
              setTab('camera');
              setScreen('settings');
            }}
          />
        )}
        {screen === 'captures' && <CapturesScreen />}
        {screen === 'settings' && <SettingsScreen tab={tab} onTabChange={setTab} />}
      </main>
    </div>
  );
}
