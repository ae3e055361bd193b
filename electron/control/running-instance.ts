/**
 * Which cores are the running instance (the app or `serve`, reached through the control socket), as opposed
 * to a core a CLI command opened for itself because nothing runs. A command that only makes sense inside
 * the running instance (`campanel panel-url`) asks this to say plainly which case it is in.
 */
const running = new WeakSet<object>();

export const markRunningInstance = (core: object): void => void running.add(core);
export const unmarkRunningInstance = (core: object): void => void running.delete(core);
export const isRunningInstance = (core: object): boolean => running.has(core);
