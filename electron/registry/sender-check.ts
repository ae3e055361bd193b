/**
 * Which Electron frames may call the contract: only the main frame of our own window showing
 * our own page. A subframe, another origin, about:blank or a lookalike URL is refused.
 * Kept free of `electron` imports so it is testable in plain Node with fake frames.
 */

/** The parts of Electron's WebFrameMain that the check reads. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/**
 * @param frame the IPC event's senderFrame (null when the frame is gone)
 * @param isOurWindow whether the sender's webContents belongs to a window the app created
 * @param pageUrl the URL of the panel page the window loads (campanel://app/index.html)
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, isOurWindow: boolean, pageUrl: string): boolean {
  if (!frame || !isOurWindow) return false;
  if (frame.parent !== null) return false; // subframes never talk to the main process
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(frame.url);
    expected = new URL(pageUrl);
  } catch {
    return false;
  }
  // Compare parsed parts, not strings: "campanel://app/index.html#/live" keeps the same page, while
  // "about:blank", "https://evil.example/?campanel://app/index.html", "campanel://app.evil/…" and
  // "campanel://user@app/…" do not.
  return (
    actual.protocol === expected.protocol &&
    actual.host === expected.host &&
    actual.username === '' &&
    actual.password === '' &&
    actual.pathname === expected.pathname
  );
}
