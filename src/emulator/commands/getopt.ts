/** POSIX getopt for the emulated PBS commands: bundled flags (-xf), attached or separate arguments (-Fjson, -F json). */
export interface Parsed {
  flags: Set<string>;
  values: Map<string, string>;
  operands: string[];
}

export class UsageFault extends Error {}

/** `withArg` lists the letters that take an argument. */
export function getopt(argv: string[], letters: string, withArg: string): Parsed {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      operands.push(a);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k] as string;
      if (withArg.includes(c)) {
        const rest = a.slice(k + 1);
        const v = rest !== '' ? rest : argv[++i];
        if (v === undefined) throw new UsageFault(`option requires an argument -- '${c}'`);
        values.set(c, v);
        break;
      }
      if (!letters.includes(c)) throw new UsageFault(`invalid option -- '${c}'`);
      flags.add(c);
    }
  }
  return { flags, values, operands };
}
