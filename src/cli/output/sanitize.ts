/**
 * Neutralises user-controlled text (job names, comments, owners) before it reaches a terminal:
 * a job name must never move a cursor or change colours on an admin's terminal.
 */

// C0 and C1 controls, DEL, and the bidi overrides / isolates that can reorder what is shown.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces control and bidi characters with visible escapes (`\x1b`, `\u202e`); keeps \t as a space. */
export function sanitizeText(text: string): string {
  return text.replace(/\t/g, ' ').replace(UNSAFE, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** For single-line cells: also shows newlines as `\n`. */
export function sanitizeCell(text: string): string {
  return sanitizeText(text.replace(/\r?\n/g, '\\n'));
}
