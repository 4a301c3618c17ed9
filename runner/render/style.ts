/** Terminal styling: colour only on a terminal and when NO_COLOR is not set. */
const COLORS = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94];

export interface Style {
  color: boolean;
  paint(code: number, text: string): string;
  task(name: string): string;
}

export function makeStyle(stream: NodeJS.WriteStream): Style {
  const color = !process.env.NO_COLOR && (!!process.env.FORCE_COLOR || !!stream.isTTY);
  const paint = (code: number, text: string): string =>
    color ? `\x1b[${code}m${text}\x1b[0m` : text;
  return {
    color,
    paint,
    task: (name) => {
      let h = 0;
      for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
      return paint(COLORS[h % COLORS.length] ?? 36, `[${name}]`);
    },
  };
}

/** For text that leaves the terminal (mail, files). */
export const plainStyle: Style = {
  color: false,
  paint: (_code, text) => text,
  task: (name) => `[${name}]`,
};

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
/** East Asian wide and fullwidth blocks (Hangul, CJK, kana, fullwidth forms, emoji): two columns. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO = /[\p{Mn}\p{Me}\u200b-\u200f]/u;

/** Columns a string takes on a terminal: colour codes and combining marks none, CJK two. */
export function displayWidth(text: string): number {
  const plain = text.includes('\x1b') ? text.replace(ANSI, '') : text;
  // ASCII (almost every cell) is its length.
  if (/^[\x20-\x7e]*$/.test(plain)) return plain.length;
  let w = 0;
  for (const ch of plain) w += ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return w;
}

export function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const width = header.map((_, c) => Math.max(...all.map((r) => displayWidth(r[c] ?? ''))));
  return all
    .map((r) =>
      r
        .map((cell, c) =>
          c === r.length - 1
            ? cell
            : cell + ' '.repeat(Math.max(0, (width[c] ?? 0) - displayWidth(cell))),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
