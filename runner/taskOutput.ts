/** A task's output: split into lines for the live view, copied to its log file, last lines kept for summaries. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const TAIL = 20;

export class TaskOutput {
  private fd = -1;
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  readonly tail: string[] = [];

  constructor(
    private readonly logFile: string,
    private readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void,
  ) {}

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.fd < 0) {
      fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
      this.fd = fs.openSync(this.logFile, 'a');
    }
    fs.writeSync(this.fd, chunk);
    const text = this.partial[stream] + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.line(line.replace(/\r$/, ''), stream);
  }

  /** Flushes unterminated last lines and closes the log file. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.line(this.partial[stream], stream);
      this.partial[stream] = '';
    }
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private line(line: string, stream: 'stdout' | 'stderr'): void {
    this.tail.push(line);
    if (this.tail.length > TAIL) this.tail.shift();
    this.onLine(line, stream);
  }
}
