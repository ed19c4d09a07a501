/** ANSI colours for state cells; used only when io.colour (a TTY without NO_COLOR). */

const CODES = {
  green: 32,
  yellow: 33,
  red: 31,
  magenta: 35,
  cyan: 36,
  blue: 34,
  dim: 2,
} as const;
export type ColourName = keyof typeof CODES;

/** Wraps text in an SGR colour. */
export function paint(text: string, colour: ColourName): string {
  return `\x1b[${CODES[colour]}m${text}\x1b[0m`;
}

const JOB_STATE: Record<string, ColourName> = {
  R: 'green',
  E: 'green',
  Q: 'yellow',
  H: 'magenta',
  W: 'cyan',
  T: 'cyan',
  S: 'red',
  U: 'red',
  B: 'blue',
  F: 'dim',
  X: 'dim',
  M: 'dim',
};

/** The colour of a job state letter or node/queue/reservation state word, if any. */
export function stateColour(state: string): ColourName | null {
  if (JOB_STATE[state]) return JOB_STATE[state]!;
  const s = state.toLowerCase();
  if (/down|offline|unknown|stale|unresolvable|failed|degraded/.test(s)) return 'red';
  if (/busy|exclusive|sharing|running|resv/.test(s)) return 'yellow';
  if (/free|confirmed|true|active/.test(s)) return 'green';
  return null;
}
