/** A one-line transfer progress on a terminal (stderr), redrawn at most five times a second. */

const MB = 1024 * 1024;
/** Small transfers finish before a progress line would help. */
const MIN_BYTES = 8 * MB;

export function progressLine(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update: (done: number, total: number) => void; end: () => void } {
  const began = Date.now();
  let last = 0;
  let shown = false;
  return {
    update: (done, total) => {
      if (!stream.isTTY || total < MIN_BYTES) return;
      const now = Date.now();
      if (now - last < 200 && done < total) return;
      last = now;
      const rate = done / MB / Math.max(0.001, (now - began) / 1000);
      const pct = Math.floor((done / total) * 100);
      stream.write(
        `\r${label}: ${pct}% (${(done / MB).toFixed(0)} of ${(total / MB).toFixed(0)} MB, ${rate.toFixed(0)} MB/s)\x1b[K`,
      );
      shown = true;
    },
    end: () => {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
