import type { ReactNode } from 'react';

/** The centred card of the full-page screens (first run, login, set password, link expired). */
export function AuthLayout({ title, intro, children }: { title: string; intro?: ReactNode; children?: ReactNode }) {
  return (
    <main className="auth">
      <div className="auth__card">
        <p className="auth__brand" aria-hidden="true">
          CamPanel
        </p>
        <h1 className="auth__title">{title}</h1>
        {intro && <div className="auth__intro">{intro}</div>}
        {children}
      </div>
    </main>
  );
}
