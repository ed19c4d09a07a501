/* global structuredClone */
// Property-based fuzzing of the PBS output readers, shared by `scripts/fuzz.mjs` (dist/, full count)
// and `test/reliability/fuzz.test.ts` (src/, CI count). The parsers are passed in so the same
// properties run against the built code and the sources. Plain ESM so the script needs no compiler.
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';

// ---------------------------------------------------------------- generators: PBS-like documents

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const host = fc.stringMatching(/^[a-z]{1,6}[0-9]{0,4}(\.[a-z]{2,6}){0,2}$/);
const smallInt = fc.integer({ min: 0, max: 1_000_000 });
const epoch = fc.integer({ min: 1_500_000_000, max: 1_900_000_000 });
const pbsTime = fc
  .date({
    min: new Date('2018-01-01T00:00:00Z'),
    max: new Date('2030-01-01T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => {
    const s = d.toUTCString(); // "Tue, 01 Jan 2019 00:00:00 GMT" → "Tue Jan 01 00:00:00 2019"
    const m = /^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/.exec(s);
    return m ? `${m[1]} ${m[3]} ${m[2]} ${m[5]} ${m[4]}` : s;
  });
const duration = fc
  .tuple(
    fc.integer({ min: 0, max: 999 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
  )
  .map(
    ([h, m, s]) =>
      `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`,
  );
const sizeText = fc
  .tuple(
    fc.integer({ min: 0, max: 99999 }),
    fc.constantFrom('b', 'kb', 'mb', 'gb', 'tb', 'KB', 'w'),
  )
  .map(([n, u]) => `${n}${u}`);
const select = fc
  .array(
    fc.tuple(
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 128 }),
      fc.option(sizeText),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((cs) => cs.map(([n, c, m]) => `${n}:ncpus=${c}${m ? `:mem=${m}` : ''}`).join('+'));
/** user text: names, comments — anything a user can type, including quotes, backslashes, `^X`, emoji, controls */
const userText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '$(rm -rf ~)',
      '`id`',
      'a;b|c&d',
      '\x1b[2J',
      '\x1b]0;pwned\x07',
      '\u202eevil',
      '^A^[',
      'C:\\path\\x',
      '"quoted"',
      'résumé 日本 🚀',
    ),
  },
);
const stateCount = fc
  .array(smallInt, { minLength: 8, maxLength: 8 })
  .map((n) =>
    ['Transit', 'Queued', 'Held', 'Waiting', 'Running', 'Exiting', 'Begun', 'Moved']
      .map((k, i) => `${k}:${n[i]}`)
      .join(' '),
  );
const boolText = fc.constantFrom('True', 'False');
/** attribute value forms PBS prints: numbers for numeric-looking values, strings otherwise */
const scalar = fc.oneof(smallInt, userText, sizeText, duration, boolText, epoch);

const rec = (shape) => fc.record(shape, { requiredKeys: [] });

const jobAttrs = rec({
  Job_Name: userText,
  Job_Owner: fc.tuple(word, host).map(([u, h]) => `${u}@${h}`),
  job_state: fc.constantFrom('Q', 'R', 'H', 'F', 'E', 'B', 'X', 'W'),
  queue: word,
  server: host,
  Checkpoint: fc.constant('u'),
  ctime: fc.oneof(pbsTime, epoch),
  qtime: pbsTime,
  stime: pbsTime,
  comment: userText,
  exec_host: fc
    .array(fc.tuple(host, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 64 })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((a) => a.map(([h, i, n]) => `${h}/${i}*${n}`).join('+')),
  exec_vnode: fc
    .array(fc.tuple(host, fc.integer({ min: 1, max: 64 })), { minLength: 1, maxLength: 3 })
    .map((a) => a.map(([h, n]) => `(${h}:ncpus=${n})`).join('+')),
  Resource_List: rec({
    ncpus: smallInt,
    mem: sizeText,
    nodect: smallInt,
    select: fc.oneof(select, smallInt),
    walltime: duration,
    place: fc.constantFrom('free', 'scatter:excl', 'pack'),
  }),
  resources_used: rec({
    cpupct: smallInt,
    cput: duration,
    mem: sizeText,
    vmem: sizeText,
    walltime: duration,
    ncpus: smallInt,
  }),
  Exit_status: fc.integer({ min: -20, max: 300 }),
  array: boolText,
  array_indices_submitted: fc.constant('1-10'),
  Variable_List: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z_]{0,8}$/), scalar, { maxKeys: 4 }),
  queue_rank: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  project: word,
  Account_Name: word,
});
const jobId = fc
  .tuple(fc.integer({ min: 1, max: 9_999_999 }), fc.option(fc.integer({ min: 0, max: 99 })), host)
  .map(([n, i, h]) => `${n}${i === null ? '' : `[${i}]`}.${h}`);
const header = {
  timestamp: epoch,
  pbs_version: fc.constantFrom('2022.1.1', '23.06.06', 'latest', '19.1.3'),
  pbs_server: host,
};
const dict = (key, value, maxKeys) => fc.dictionary(key, value, { maxKeys, minKeys: 0 });

const nodeAttrs = rec({
  Mom: host,
  Port: fc.constant(15002),
  pbs_version: fc.constant('23.06.06'),
  ntype: fc.constant('PBS'),
  state: fc.constantFrom('free', 'job-busy', 'down,offline', 'offline', 'state-unknown,down'),
  pcpus: smallInt,
  jobs: fc.array(
    jobId.map((j) => `${j}/0`),
    { maxLength: 4 },
  ),
  resources_available: rec({
    arch: fc.constant('linux'),
    host,
    mem: sizeText,
    ncpus: smallInt,
    ngpus: smallInt,
    vnode: host,
  }),
  resources_assigned: rec({ mem: sizeText, ncpus: smallInt, ngpus: smallInt }),
  comment: userText,
  resv_enable: boolText,
  sharing: fc.constant('default_shared'),
  last_state_change_time: epoch,
});
const queueAttrs = rec({
  queue_type: fc.constantFrom('Execution', 'Route'),
  total_jobs: smallInt,
  state_count: stateCount,
  max_queued: fc.constantFrom('[u:PBS_GENERIC=2]', '[o:PBS_ALL=10]'),
  resources_max: rec({ walltime: duration, ncpus: smallInt }),
  resources_assigned: rec({ ncpus: smallInt, mem: sizeText, nodect: smallInt }),
  enabled: boolText,
  started: boolText,
  priority: fc.integer({ min: -1024, max: 1024 }),
});
const serverAttrs = rec({
  server_state: fc.constantFrom('Active', 'Idle', 'Scheduling'),
  server_host: host,
  scheduling: boolText,
  total_jobs: smallInt,
  state_count: stateCount,
  default_queue: word,
  log_events: smallInt,
  resources_default: rec({ ncpus: smallInt }),
  pbs_version: fc.constant('23.06.06'),
  comment: userText,
});

/** `{kind, doc}`: a whole `-F json` document of one of the four shapes PBS prints */
export const documentArb = fc.oneof(
  fc.record({
    kind: fc.constant('jobs'),
    doc: fc.record(
      { ...header, Jobs: dict(jobId, jobAttrs, 4) },
      { requiredKeys: ['timestamp', 'pbs_version', 'pbs_server'] },
    ),
  }),
  fc.record({
    kind: fc.constant('nodes'),
    doc: fc.record({ ...header, nodes: dict(host, nodeAttrs, 4) }),
  }),
  fc.record({
    kind: fc.constant('queues'),
    doc: fc.record({ ...header, Queue: dict(word, queueAttrs, 3) }),
  }),
  fc.record({
    kind: fc.constant('server'),
    doc: fc.record({ ...header, Server: dict(host, serverAttrs, 1) }),
  }),
);
export const layoutArb = fc.constantFrom('pbspro', 'cjson');

// ---------------------------------------------------------------- serialiser with one hook

/** JSON string text as PBS releases print it (raw non-ASCII, escapes only where the grammar needs). */
function quote(s) {
  return JSON.stringify(s);
}

/**
 * Serialises `doc` in a PBS layout (4-space `"k":v`, or cJSON tab `"k":\tv`). `hook(path, value)` may
 * return raw text to print for a leaf instead of its JSON form (used to inject one defect).
 */
export function serialise(doc, layout, hook = () => null) {
  const pad = (n) => (layout === 'cjson' ? '\t' : '    ').repeat(n);
  const sep = layout === 'cjson' ? ':\t' : ':';
  const leaf = (v, path) => {
    const raw = hook(path, v);
    if (raw !== null) return raw;
    return typeof v === 'number' ? String(v) : quote(v);
  };
  const val = (v, level, path) => {
    if (Array.isArray(v)) {
      if (layout === 'cjson') return `[${v.map((x, i) => leaf(x, [...path, i])).join(', ')}]`;
      return `[\n${v.map((x, i) => pad(level + 1) + leaf(x, [...path, i])).join(',\n')}\n${pad(level)}]`;
    }
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 0) return `{\n${pad(level)}}`;
      return `{\n${keys.map((k) => `${pad(level + 1)}${quote(k)}${sep}${val(v[k], level + 1, [...path, k])}`).join(',\n')}\n${pad(level)}}`;
    }
    return leaf(v, path);
  };
  return `${val(doc, 0, [])}\n`;
}

/** Every leaf path of a document. */
export function leaves(doc, path = []) {
  if (Array.isArray(doc)) return doc.flatMap((x, i) => leaves(x, [...path, i]));
  if (doc !== null && typeof doc === 'object')
    return Object.keys(doc).flatMap((k) => leaves(doc[k], [...path, k]));
  return [path];
}

const samePath = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function setAt(doc, path, value) {
  const copy = structuredClone(doc);
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]] = value;
  return copy;
}

// ---------------------------------------------------------------- single injected defects

const alnum = fc.stringMatching(/^[A-Za-z0-9_.]{1,12}$/);
const phrase = fc.array(alnum, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const MARK = '\u0000\u0001MARK\u0001\u0000';

/**
 * One defect as PBS versions print it: `raw` bytes replace one leaf's JSON text; `expected` is the
 * value the reader must return for that leaf (`undefined`: the leaf itself is not checked).
 */
export const defectArb = fc.oneof(
  fc
    .constantFrom('005', '000', 'inf', 'nan', '0x10', '.5', '1.', '+1', '-05', '007', '0x1F')
    .map((t) => ({ kind: 'bad-number', raw: Buffer.from(t), expected: t })),
  fc
    .tuple(phrase, fc.constantFrom('q', 'x', '%', "'", 'a', '(', 'P', ' '), phrase)
    .map(([a, c, b]) => ({
      kind: 'bad-escape',
      raw: Buffer.from(`"${a}\\${c}${b}"`),
      expected: `${a}\\${c}${b}`,
    })),
  fc.tuple(phrase, fc.constantFrom(1, 7, 8, 9, 10, 13, 27, 31, 127), phrase).map(([a, c, b]) => ({
    kind: 'control-char',
    raw: Buffer.from(`"${a}${String.fromCharCode(c)}${b}"`),
    expected: `${a}${String.fromCharCode(c)}${b}`,
  })),
  fc.tuple(phrase, fc.constantFrom('é', 'ü', 'ñ', 'ß', '©', 'Ø'), phrase).map(([a, c, b]) => ({
    kind: 'latin1',
    raw: Buffer.from(`"${a}${c}${b}"`, 'latin1'),
    expected: `${a}${c}${b}`,
  })),
  fc.tuple(phrase, phrase, phrase).map(([a, b, c]) => ({
    kind: 'unescaped-quote',
    raw: Buffer.from(`"${a} "${b}" ${c}"`),
    expected: `${a} "${b}" ${c}`,
  })),
  alnum.map((k) => ({
    kind: 'unescaped-quote',
    raw: Buffer.from(`"${k}="""`),
    expected: `${k}=""`,
  })),
  fc
    .oneof(
      smallInt.map(String),
      alnum.map((s) => JSON.stringify(s)),
    )
    .map((other) => ({ kind: 'duplicate-key', other, expected: undefined })),
  fc.constant({
    kind: 'text-header',
    prefix:
      'Job id            Name             User              Time Use S Queue\n----------------  ---------------- ----------------  -------- - -----\n1.pbs             STDIN            alice             00:00:00 R workq\n\n',
  }),
);

/** Writes `doc` with `defect` injected at leaf `path`; returns the bytes and the expected reader value. */
export function inject(doc, layout, path, defect) {
  if (defect.kind === 'text-header') {
    return { bytes: Buffer.from(defect.prefix + serialise(doc, layout)), expected: doc };
  }
  if (defect.kind === 'duplicate-key') {
    // the repeated key (a number index in an array cannot be repeated: fall back to the parent object)
    let p = path;
    while (p.length > 0 && typeof p[p.length - 1] === 'number') p = p.slice(0, -1);
    if (p.length === 0) return null;
    const key = p[p.length - 1];
    const parent = p.slice(0, -1);
    const member = `${quote(key)}${layout === 'cjson' ? ':\t' : ':'}`;
    // print the member once more right after itself: `"k":v, "k":other` (only a leaf can be hooked:
    // a key holding an array is left single, and the check below still ignores it)
    const bytes = Buffer.from(
      serialise(doc, layout, (lp, v) =>
        samePath(lp, p)
          ? `${typeof v === 'number' ? v : quote(v)}, ${member}${defect.other}`
          : null,
      ),
    );
    const expected = structuredClone(doc);
    let o = expected;
    for (const k of parent) o = o[k];
    delete o[key];
    return { bytes, expected, dropKey: [...parent, key] };
  }
  const text = serialise(doc, layout, (lp) => (samePath(lp, path) ? MARK : null));
  const [before, after] = text.split(MARK);
  return {
    bytes: Buffer.concat([Buffer.from(before), defect.raw, Buffer.from(after)]),
    expected: setAt(doc, path, defect.expected),
  };
}

function dropAt(value, path) {
  const copy = structuredClone(value);
  let o = copy;
  for (const k of path.slice(0, -1)) {
    if (o === null || typeof o !== 'object') return copy;
    o = o[k];
  }
  if (o !== null && typeof o === 'object') delete o[path[path.length - 1]];
  return copy;
}

// ---------------------------------------------------------------- byte mutations

/** Random damage: byte flips, truncation, inserted junk, deleted or repeated ranges. */
export const mutationArb = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('flip'), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ op: fc.constant('truncate'), at: fc.nat() }),
    fc.record({
      op: fc.constant('insert'),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
    fc.record({
      op: fc.constant('insert'),
      at: fc.nat(),
      bytes: fc.constantFrom(
        ...[
          '"',
          '\\',
          '{',
          '[',
          ',',
          ':',
          '"max_x":',
          '\\u',
          '\\ud800',
          '^A',
          '\x1b[2J',
          '\xff',
          '005',
          '}',
          ']',
        ].map((s) => Buffer.from(s, 'latin1')),
      ),
    }),
    fc.record({ op: fc.constant('delete'), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ op: fc.constant('repeat'), at: fc.nat(), len: fc.integer({ min: 1, max: 256 }) }),
  ),
  { minLength: 1, maxLength: 5 },
);

/** Applies mutations to a copy of `buf`. */
export function mutate(buf, ops) {
  let b = Buffer.from(buf);
  for (const m of ops) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.op === 'flip' && b.length > 0) b[at % b.length] = m.byte;
    else if (m.op === 'truncate') b = b.subarray(0, at);
    else if (m.op === 'insert')
      b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    else if (m.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
    else if (m.op === 'repeat') b = Buffer.concat([b.subarray(0, at + m.len), b.subarray(at)]);
  }
  return b;
}

// ---------------------------------------------------------------- pbs_rstat -f text

// `__proto__` keys and U+2028/U+2029 in values are left to explicit tests (BUG: reservations.ts drops them)
const rstatKey = fc.stringMatching(/^[A-Za-z_][\w.-]{0,20}$/).filter((k) => k !== '__proto__');
const rstatValue = fc
  .oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    pbsTime,
    select,
  )
  .filter((v) => !/[\r\n\u2028\u2029]/.test(v) && v.trim() !== '' && !/^\s/.test(v));
/** `{records, text}`: reservations and their `pbs_rstat -f` text (long values wrapped on TAB-led lines) */
export const rstatArb = fc
  .array(
    fc.record({
      id: fc.tuple(fc.integer({ min: 1, max: 99999 }), host).map(([n, h]) => `R${n}.${h}`),
      attrs: fc.dictionary(rstatKey, rstatValue, { maxKeys: 12 }),
      wrap: fc.integer({ min: 8, max: 80 }),
    }),
    { maxLength: 4 },
  )
  .map((records) => {
    let text = '';
    for (const r of records) {
      text += `Resv ID: ${r.id}\n`;
      for (const [k, v] of Object.entries(r.attrs)) {
        const line = `${k} = ${v}`;
        // PBS wraps at a fixed width mid-word; a chunk that is only blanks would read as a record break
        const chunks = [];
        for (let i = 0; i < line.length; i += r.wrap) chunks.push(line.slice(i, i + r.wrap));
        const ok = chunks.slice(1).every((c) => c.trim() !== '') && chunks[0].includes(' = ');
        text += ok ? `${chunks.join('\n\t')}\n` : `${line}\n`;
      }
      text += '\n';
    }
    return { records, text };
  });

// ---------------------------------------------------------------- the checks

/** A failure of a property: thrown so fast-check shrinks and reports the input. */
class PropertyFailure extends Error {}

export function makeChecks({
  readPbsJson,
  readTolerant,
  parsers,
  parseReservations,
  PbsOutputError,
  timeBound,
}) {
  const stats = {
    inputs: 0,
    bytes: 0,
    ms: 0,
    maxMsPerKb: 0,
    maxMs: 0,
    outputErrors: 0,
    repairs: 0,
    /** ms per KB of each input of at least 1 KB */
    perKb: [],
    /** inputs over the hang bound once, then timed again (pauses, not hangs) */
    retimed: 0,
  };
  /** runs fn on input; only PbsOutputError may escape; records time */
  const guarded = (label, size, fn) => {
    const t = performance.now();
    let result;
    try {
      result = fn();
    } catch (err) {
      if (!(err instanceof PbsOutputError)) {
        throw new PropertyFailure(`${label}: threw ${err?.name}: ${err?.message}`, { cause: err });
      }
      stats.outputErrors++;
      result = undefined;
    }
    const ms = performance.now() - t;
    stats.inputs++;
    stats.bytes += size;
    stats.ms += ms;
    stats.maxMs = Math.max(stats.maxMs, ms);
    if (size >= 1024) {
      stats.maxMsPerKb = Math.max(stats.maxMsPerKb, ms / (size / 1024));
      stats.perKb.push(ms / (size / 1024));
    }
    if (ms > timeBound(size)) {
      // a GC or scheduler pause on a loaded machine is not a hang: time the same input again and
      // fail only when it is slow every time
      let best = ms;
      for (let k = 0; k < 3 && best > timeBound(size); k++) {
        const t2 = performance.now();
        try {
          fn();
        } catch {
          /* already classified above */
        }
        best = Math.min(best, performance.now() - t2);
      }
      stats.retimed++;
      if (best > timeBound(size))
        throw new PropertyFailure(`${label}: ${best.toFixed(1)} ms for ${size} bytes (hang?)`);
    }
    return result;
  };
  const eq = (label, got, want) => {
    if (!isDeepStrictEqual(got, want)) {
      throw new PropertyFailure(
        `${label}: value changed\n got: ${JSON.stringify(got)?.slice(0, 600)}\nwant: ${JSON.stringify(want)?.slice(0, 600)}`,
      );
    }
  };

  return {
    stats,
    /** valid documents: both readers return exactly JSON.parse's value, no repairs; every model keeps raw attrs */
    valid: fc.property(documentArb, layoutArb, fc.boolean(), ({ kind, doc }, layout, asBuffer) => {
      const text = serialise(doc, layout);
      const input = asBuffer ? Buffer.from(text) : text;
      const want = JSON.parse(text);
      const fast = guarded('readPbsJson', text.length, () => readPbsJson(input, 'fuzz'));
      if (!fast) throw new PropertyFailure('readPbsJson rejected valid JSON');
      eq('readPbsJson', fast.value, want);
      const slow = guarded('readTolerant', text.length, () => readTolerant(input, 'fuzz'));
      if (!slow) throw new PropertyFailure('readTolerant rejected valid JSON');
      eq('readTolerant', slow.value, want);
      eq('readTolerant repairs', slow.repairs, []);
      const parsed = guarded(`parse ${kind}`, text.length, () => parsers[kind](input));
      if (!parsed) throw new PropertyFailure(`parse ${kind} rejected valid JSON`);
      const top = { jobs: 'Jobs', nodes: 'nodes', queues: 'Queue', server: 'Server' }[kind];
      eq(
        `${kind} raw`,
        parsed.items.map((i) => i.raw),
        Object.values(want[top] ?? {}),
      );
    }),
    /** one defect in one value: that value reads as PBS meant it, every other value is unchanged */
    defect: fc.property(
      documentArb,
      layoutArb,
      defectArb,
      fc.nat(),
      ({ kind, doc }, layout, defect, pick) => {
        const paths = leaves(doc).filter((p) => p.length > 1);
        if (paths.length === 0) return;
        const path = paths[pick % paths.length];
        const made = inject(doc, layout, path, defect);
        if (!made) return;
        const r = guarded(`readPbsJson ${defect.kind}`, made.bytes.length, () =>
          readPbsJson(made.bytes, 'fuzz'),
        );
        if (!r)
          throw new PropertyFailure(
            `${defect.kind}: rejected (${made.bytes.toString('latin1').slice(0, 300)})`,
          );
        const got = made.dropKey ? dropAt(r.value, made.dropKey) : r.value;
        // fast-check builds null-prototype records: compare plain JSON objects
        eq(
          `${defect.kind} at ${JSON.stringify(path)}`,
          got,
          JSON.parse(JSON.stringify(made.expected)),
        );
        stats.repairs += r.repairs.length;
        guarded(`parse ${kind} ${defect.kind}`, made.bytes.length, () => parsers[kind](made.bytes));
      },
    ),
    /** random damage: a result or a PbsOutputError, never another exception, never a hang */
    mutated: fc.property(documentArb, layoutArb, mutationArb, ({ kind, doc }, layout, ops) => {
      const bytes = mutate(Buffer.from(serialise(doc, layout)), ops);
      guarded('readPbsJson mutated', bytes.length, () => readPbsJson(bytes, 'fuzz'));
      guarded('readTolerant mutated', bytes.length, () => readTolerant(bytes, 'fuzz'));
      for (const k of Object.keys(parsers))
        guarded(`parse ${k} mutated (${kind})`, bytes.length, () => parsers[k](bytes));
    }),
    /** valid JSON of the wrong shape (a number where an object was, arrays, nulls): no crash */
    shape: fc.property(
      documentArb,
      fc.nat(),
      fc.jsonValue({ maxDepth: 2 }),
      ({ kind, doc }, pick, junk) => {
        const paths = leaves(doc);
        const path = paths[pick % Math.max(1, paths.length)] ?? [];
        const cut = path.slice(0, 1 + (pick % Math.max(1, path.length)));
        const bent = cut.length ? setAt(doc, cut, junk) : junk;
        const text = JSON.stringify(bent) ?? 'null';
        for (const k of Object.keys(parsers))
          guarded(`parse ${k} shape (${kind})`, text.length, () => parsers[k](text));
      },
    ),
    /** pbs_rstat -f: every attribute read back exactly (wrapped lines joined); damage never crashes */
    rstat: fc.property(rstatArb, mutationArb, ({ records, text }, ops) => {
      const parsed = guarded('parseReservations', text.length, () => parseReservations(text));
      if (!parsed) throw new PropertyFailure('parseReservations rejected valid text');
      eq(
        'rstat ids',
        parsed.items.map((r) => r.id),
        records.map((r) => r.id),
      );
      eq(
        'rstat raw',
        parsed.items.map((r) => ({ ...r.raw })),
        records.map((r) => ({ ...r.attrs })),
      );
      eq('rstat repairs', parsed.repairs, []);
      const bytes = mutate(Buffer.from(text), ops);
      guarded('parseReservations mutated', bytes.length, () => parseReservations(bytes));
    }),
  };
}
