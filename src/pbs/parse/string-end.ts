/** Where a PBS JSON string really ends: PBS up to 23.06 leaves some quotes inside values unescaped. */

const [TAB, LF, CR, SPACE, QUOTE, COMMA, COLON, BACKSLASH, RBRACKET, RBRACE] = [
  9, 10, 13, 32, 34, 44, 58, 92, 93, 125,
];
/** how far a closing-quote check may look for the next key (keeps the reader linear) */
const KEY_LOOKAHEAD = 4096;

export function isWs(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR;
}

/**
 * Whether a `"` at `q` really closes the string, judged by what follows: PBS leaves quotes inside
 * values unescaped (`"pset":"group_id="""`, node comments), so a quote only ends a value when the
 * JSON structure continues after it. `strict` (for `\"`) also asks for a line break, as PBS puts
 * each attribute on its own line.
 */
export function quoteCloses(
  b: Uint8Array,
  n: number,
  q: number,
  isKey: boolean,
  inArray: boolean,
  strict: boolean,
): boolean {
  // The common layouts first: `"key":`, `"value",` + newline.
  const c1 = b[q + 1];
  if (isKey && c1 === COLON) return true;
  if (!isKey && c1 === COMMA) {
    const c2 = b[q + 2];
    if (c2 === LF || c2 === CR) return true;
  }
  let i = q + 1;
  let sawNewline = false;
  while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
  if (i >= n) return !isKey;
  let c = b[i]!;
  if (isKey) return c === COLON;
  if (c === LF || c === CR) {
    sawNewline = true;
    while (i < n && isWs(b[i]!)) i++;
    if (i >= n) return true;
    c = b[i]!;
  }
  if (c === RBRACE || c === RBRACKET) return !strict || sawNewline;
  if (c !== COMMA) return false;
  i++;
  while (i < n && isWs(b[i]!)) {
    if (b[i] === LF) sawNewline = true;
    i++;
  }
  // PBS ends every attribute with `,` + newline, and never puts a raw newline in a value.
  if (sawNewline || i >= n) return true;
  if (strict) return false;
  c = b[i]!;
  if (c === RBRACE || c === RBRACKET) return true;
  if (c !== QUOTE) return inArray;
  if (inArray) return true;
  // The next thing must be a key: a short string followed by `:`.
  const end = Math.min(n, i + KEY_LOOKAHEAD);
  for (let j = i + 1; j < end; j++) {
    const k = b[j];
    if (k === BACKSLASH) j++;
    else if (k === LF) return false;
    else if (k === QUOTE) {
      j++;
      while (j < n && (b[j] === SPACE || b[j] === TAB)) j++;
      return b[j] === COLON;
    }
  }
  return false;
}
