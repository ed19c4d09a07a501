/** The PBS emulator's public API (see docs/emulator.md). */
export * from './api.js';
export { parseDuration } from './timefmt.js';
export { EmulatorError } from './store.js';
