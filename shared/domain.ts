/**
 * Domain schemas shared by the main process and the renderer, one file per domain under domain/.
 * Every string that crosses a boundary has an upper bound (domain/limits.ts).
 */
export * from './domain/limits.js';
export * from './domain/users.js';
export * from './domain/api.js';
export * from './domain/camera.js';
export * from './domain/settings.js';
export * from './domain/captures.js';
export * from './domain/notifications.js';
export * from './domain/system.js';
