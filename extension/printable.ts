/** Names from a repository (file names, task names, partition keys) as VS Code may show them. */

/**
 * `text` with each control character (C0, DEL, C1) shown as `?`: an ESC would start a terminal
 * escape sequence, a newline would break a title or a notification in two.
 */
export function printable(text: string): string {
  // Matching control characters is the point here.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
