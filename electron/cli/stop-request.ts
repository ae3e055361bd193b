/**
 * When `campanel serve` should stop: SIGINT, SIGTERM, or (under npm) its wrapper gone (wrapper.ts).
 * Listening starts before serve takes the lock, so a signal at any moment of start-up or shutdown takes the
 * orderly way out; the default action (exit at once) would leave the lock and the socket behind.
 */
import { findWrapper, watchWrapper, type Wrapper } from './wrapper.js';

export interface StopRequest {
  /** Why serve should stop, once it should; null until then. */
  readonly reason: string | null;
  /** Resolves with the first reason. */
  readonly requested: Promise<string>;
  /** Stops watching the wrapper. */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function listenForStop(wrapper: Wrapper | null = findWrapper()): StopRequest {
  let reason: string | null = null;
  let resolve: (why: string) => void = () => undefined;
  const requested = new Promise<string>((done) => (resolve = done));
  const request = (why: string) => {
    // Later signals change nothing: shutdown is under way. (conf's file writer, through when-exit, re-raises the
    // first SIGINT/SIGTERM at once, so a second one arrives every time.)
    if (reason !== null) return;
    reason = why;
    resolve(why);
  };
  // Left installed after serve returns: a signal while the process exits must not turn into a kill.
  for (const signal of SIGNALS) process.on(signal, () => request(signal));
  const unwatch = wrapper ? watchWrapper(wrapper, request) : () => undefined;
  return {
    get reason() {
      return reason;
    },
    requested,
    dispose: unwatch,
  };
}
