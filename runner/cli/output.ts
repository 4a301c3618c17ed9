/**
 * stdout that may close under us (`tributary run … | head -1`, an editor that went away): the
 * first EPIPE is reported once to `onClosed` and later writes are dropped, never a crash.
 */
export class Output {
  private closed = false;

  constructor(
    private readonly onClosed: () => void,
    private readonly stream: NodeJS.WriteStream = process.stdout,
  ) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
      this.close();
    });
  }

  get isTTY(): boolean {
    return !!this.stream.isTTY;
  }

  write(text: string): void {
    if (this.closed) return;
    try {
      this.stream.write(text);
    } catch {
      this.close();
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
  }
}

/** A closed stderr (the terminal went away) must not crash a run that is cleaning up. */
export function tolerateClosedStderr(): void {
  if (process.stderr.listenerCount('error') === 0) process.stderr.on('error', () => {});
}
