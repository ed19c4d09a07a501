/** The PBS emulator's public API (see the README, "The emulator"). */
export * from './api.js';
export { parseDuration } from './timefmt.js';
export { EmulatorError } from './store.js';
