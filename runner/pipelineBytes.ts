/** A pipeline file's bytes as text: UTF-8 (with or without a BOM) or UTF-16 with a BOM; binary refused. */
import { UserError } from './userError';

/**
 * Windows editors ("Unicode" in Notepad) and Windows PowerShell's `>` save UTF-16 with a byte
 * order mark: the mark says the encoding, so such a file is decoded and loaded like any other.
 * The mark itself is not text (the editor drops it too), so line 1's columns match the editor's.
 */
export function decodePipelineBytes(name: string, bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  let text: string;
  if (b0 === 0xff && b1 === 0xfe) {
    // FF FE 00 00 is UTF-32 LE's mark: no editor saves YAML so by default; said plainly.
    if (bytes[2] === 0 && bytes[3] === 0) throw notSupported(name, 'UTF-32');
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (b0 === 0xfe && b1 === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else if (b0 === 0 && b1 === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) {
    throw notSupported(name, 'UTF-32');
  } else {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // The NUL test on the bytes (native) before any text is made of them.
    if (buf.indexOf(0) !== -1) throw nulError(name, buf);
    text = buf.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  // YAML allows no NUL character: decoded UTF-16 holding one is binary after all.
  if (text.includes('\0')) throw binary(name);
  return text;
}

function notSupported(name: string, encoding: string): UserError {
  return new UserError(`${name}: saved as ${encoding}, not a pipeline file; save it as UTF-8`);
}

function binary(name: string): UserError {
  return new UserError(`${name}: a binary file (it holds NUL bytes), not a pipeline file`);
}

/**
 * UTF-16 without a byte order mark is refused with the fix, not guessed: without the mark the
 * encoding is a guess from NUL bytes, and a wrong guess turns a data file into a page of
 * nonsense findings; the editors and shells that write UTF-16 write the mark, and the fix is
 * one "Save with Encoding" away. Told apart from binary by ASCII text's pattern: in UTF-16 LE
 * every second byte (odd offsets) is NUL and no even one is; BE the other way round.
 */
function nulError(name: string, buf: Buffer): UserError {
  const n = Math.min(buf.length, 1 << 16) & ~1;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenNul++;
    if (buf[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  const utf16 =
    buf.length % 2 === 0 &&
    pairs > 0 &&
    ((evenNul === 0 && oddNul >= pairs / 2) || (oddNul === 0 && evenNul >= pairs / 2));
  return utf16
    ? new UserError(
        `${name}: saved as UTF-16 without a byte order mark, not readable as a pipeline file; save it as UTF-8`,
      )
    : binary(name);
}
