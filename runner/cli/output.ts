/**
 * stdout that may close under us (`tributary run … | head -1`, an editor that went away): the
 * first EPIPE is reported once to `onClosed` and later writes are dropped, never a crash.
 * stdout that is slow (`| tee`, a CI log pipe): writes wait for 'drain' in a bounded queue, and
 * task lines that do not fit are dropped with a marker (the log file has every line), so the
 * runner's memory does not grow with the task's output.
 */
export class Output {
  private closed = false;
  /** The stream said "full": later writes wait here until 'drain'. */
  private waiting = false;
  private queue: string[] = [];
  private queued = 0;
  /** Droppable lines dropped since the last marker. */
  private dropped = 0;

  constructor(
    private readonly onClosed: () => void,
    private readonly stream: NodeJS.WriteStream = process.stdout,
    /** Where the full output is, for the marker. */
    private readonly where: () => string = () => 'the task logs',
    /** Bytes of task lines held while the stream is full. */
    private readonly limit = 1 << 18,
  ) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
      this.close();
    });
    stream.on('drain', () => this.flush());
  }

  get isTTY(): boolean {
    return !!this.stream.isTTY;
  }

  /** Always shown (events, the summary): a bounded number of these per run. */
  write(text: string): void {
    this.put(text, false);
  }

  /** A task's output line: dropped (and counted) when the queue is full. */
  line(text: string): void {
    this.put(text, true);
  }

  private put(text: string, droppable: boolean): void {
    if (this.closed) return;
    // Not waiting means the queue is empty and no marker is owed (flush wrote them).
    if (!this.waiting) return this.send(text);
    if (droppable && this.queued + text.length > this.limit) {
      this.dropped++;
      return;
    }
    this.hold(this.marker());
    this.hold(text);
  }

  private hold(text: string): void {
    if (!text) return;
    this.queue.push(text);
    this.queued += text.length;
  }

  private marker(): string {
    if (this.dropped === 0) return '';
    const m = `… ${this.dropped} lines not shown (all are in ${this.where()})\n`;
    this.dropped = 0;
    return m;
  }

  private send(text: string): void {
    try {
      if (!this.stream.write(text)) this.waiting = true;
    } catch {
      this.close();
    }
  }

  private flush(): void {
    this.waiting = false;
    if (this.closed) return;
    // One write of everything held (at most `limit` bytes), then the marker for what was not:
    // shifting line by line from a long array is quadratic.
    const text = this.queue.join('') + this.marker();
    this.queue = [];
    this.queued = 0;
    if (text) this.send(text);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queued = 0;
    this.onClosed();
  }
}

/** A closed stderr (the terminal went away) must not crash a run that is cleaning up. */
export function tolerateClosedStderr(): void {
  if (process.stderr.listenerCount('error') === 0) process.stderr.on('error', () => {});
}
