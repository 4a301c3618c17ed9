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

export function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const width = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(width[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
