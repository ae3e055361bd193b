import type { ReactNode } from 'react';
import { CapturesIcon, LiveIcon, SettingsIcon } from '../../components/icons';

export type MainScreenId = 'live' | 'captures' | 'settings';

const ITEMS: { id: MainScreenId; label: string; icon: ReactNode }[] = [
  { id: 'live', label: 'Live', icon: <LiveIcon /> },
  { id: 'captures', label: 'Captures', icon: <CapturesIcon /> },
  { id: 'settings', label: 'Settings', icon: <SettingsIcon /> },
];

/**
 * Live, Captures, Settings. Buttons rather than links: the panel has no URLs per screen (the token URL is
 * single-use), and buttons are in the tab order and work with Enter and Space.
 */
export function MainNav({ current, onSelect }: { current: MainScreenId; onSelect(id: MainScreenId): void }) {
  return (
    <nav className="mainnav" aria-label="Main">
      {ITEMS.map((item) => (
        <button
          key={item.id}
          type="button"
          className="mainnav__item"
          aria-current={item.id === current ? 'page' : undefined}
          onClick={() => onSelect(item.id)}
        >
          {item.icon}
          <span className="mainnav__label">{item.label}</span>
        </button>
      ))}
    </nav>
  );
}
