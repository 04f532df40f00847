/**
 * JSON.parse's errors, placed: the line and column of the first character that cannot
 * start or continue a JSON text. V8 gives an offset for some errors and none for others
 * ("Unexpected token 'x', "..." is not valid JSON"); the place is found the same way
 * for all: the longest prefix of the text that JSON.parse reads as a valid beginning
 * (it either parses, or ends early) stops just before the fault.
 */

/** Where a JSON text goes wrong: 1-based line and column, and JSON.parse's words for it. */
export interface JsonFault {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/** Whether `prefix` can begin a JSON text: JSON.parse accepts it, or fails only because it ends. */
function viable(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (e) {
    const message = (e as Error).message;
    if (/Unexpected end of JSON input|Unterminated string/.test(message)) return true;
    const at = /at position (\d+)/.exec(message);
    return at !== null && Number(at[1]) >= prefix.length;
  }
}

/** The fault of a text JSON.parse refuses (`error` is what it threw). */
export function jsonFault(text: string, error: Error): JsonFault {
  // The longest viable prefix: viable prefixes are the ones shorter than the fault, so bisect.
  let [lo, hi] = [0, text.length];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (viable(text.slice(0, mid))) lo = mid; else hi = mid - 1;
  }
  // A text that is a valid beginning all the way ends too early: the fault is at its end.
  const offset = Math.min(lo, text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const reason = error.message
    .replace(/ (in|after) JSON at position \d+.*$/s, '')
    .replace(/, ".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/^Unexpected end of JSON input$/, 'the text ends before the JSON does');
  return { line, column, reason };
}
