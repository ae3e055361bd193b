import type { ApiStatusView, Banner, TokenRecord } from '../../../../shared/domain';

/** The API tab exists while the API is allowed or still running (the banner is null otherwise). */
export const apiTabVisible = (status: ApiStatusView | null): boolean => status?.banner != null;

/** A text label beside the colour, so the state never depends on colour alone. */
export function bannerLabel(colour: Banner['colour']): string {
  switch (colour) {
    case 'red':
      return 'Not active';
    case 'yellow':
      return 'Restart needed';
    case 'green':
      return 'Active';
  }
}

/** Whether "Restart API" was asked for (Submit stores; it never restarts). */
export const restartPending = (status: ApiStatusView | null): boolean => status?.banner?.restartButton ?? false;

export const SAVED_RESTART_MESSAGE = 'Settings stored. Restart the API to apply them.';
export const SAVED_MESSAGE = 'Settings stored.';

export const savedMessage = (status: ApiStatusView | null): string =>
  restartPending(status) ? SAVED_RESTART_MESSAGE : SAVED_MESSAGE;

export function generateBlockedReason(status: ApiStatusView | null): string | null {
  if (!status) return 'Loading API status…';
  return status.generateDisabledReason;
}

/** Newest first. */
export function tokensNewestFirst(tokens: readonly TokenRecord[]): TokenRecord[] {
  return [...tokens].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2025-02-07 20:30" in local time; "Never" for null; the raw text if it is not a date. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return 'Never';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
