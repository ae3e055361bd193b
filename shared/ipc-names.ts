/**
 * IPC channel names, kept apart from the zod contract so the sandboxed preload can use them
 * without bundling zod.
 */
export const IPC_PREFIX = 'campanel:';
export const ipcChannel = (name: string): string => `${IPC_PREFIX}${name}`;
export const EVENT_CHANNEL = 'campanel:event';
