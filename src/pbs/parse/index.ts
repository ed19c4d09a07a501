/** The PBS output parsers: pure functions from command output to the domain model. */
export type { ParseOptions } from './options.js';
export { readPbsJson } from './read-pbs-json.js';
export { parseJobs } from './jobs.js';
export { parseNodes } from './nodes.js';
export { parseQueues } from './queues.js';
export { parseServer } from './server.js';
export { parseReservations } from './reservations.js';
export { parseQselect } from './qselect.js';
export { parseSize, parseDuration } from './units.js';
export { parsePbsTime, formatPbsTime } from './times.js';
export { parseSelect, parseExecHost, parseExecVnode, parseStateCount } from './placement.js';
