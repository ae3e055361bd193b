import type { ReactNode } from 'react';

export type NoticeTone = 'error' | 'success' | 'info' | 'warning';

/** A message region: errors are alerts, everything else a polite status. */
export function Notice({ tone, children, id }: { tone: NoticeTone; children: ReactNode; id?: string }) {
  return (
    <div id={id} className={`notice notice--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** Message state most forms keep: what happened last, in words. */
export interface FormMessage {
  tone: NoticeTone;
  text: string;
}

export function MessageLine({ message }: { message: FormMessage | null }) {
  if (!message) return null;
  return <Notice tone={message.tone}>{message.text}</Notice>;
}
