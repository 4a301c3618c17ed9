/**
 * The task launcher: one small Perl process per run that starts every task of the local executor
 * (fork, setsid, exec of the shell: the cost of `xargs -P`, not of Node's spawn from a large
 * process) and reports each task's pid and exit status on a pipe. Each task's output (stdout and
 * stderr together, as a terminal shows them) goes to a file that is tailed into the task's log.
 * It is also the watchdog of its tasks: when the runner's end of the pipe closes, it ends every
 * live group (TERM, then KILL after the grace period). Without Perl, tasks are spawned by Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ownerState, startTime } from './procInfo';
import type { Attempt } from './types';

// Records in: `<byte length>\n` + NUL-separated id, cwd, command, then env changes (`K=V`, `-K`).
// Lines out: `S id pid`, `E id code signal`, `F id cwd` (the task's folder is missing).
const SCRIPT = String.raw`
use POSIX ();
use IO::Handle;
my ($shell, $dir, $tenths) = @ARGV;
$| = 1;
my %live;
my $buf = '';
my $quiet = 0;
# A child's exit also wakes select through this pipe, even if it came just before select began.
pipe(my $wake_r, my $wake_w);
$wake_w->blocking(0);
$wake_r->blocking(0);
$SIG{CHLD} = sub { syswrite $wake_w, 'x' };
$SIG{PIPE} = 'IGNORE';
sub reap {
  while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
    my $id = delete $live{$pid};
    print "E $id " . ($? >> 8) . ' ' . ($? & 127) . "\n" if defined $id && !$quiet;
  }
}
sub launch {
  my ($id, $cwd, $cmd, @env) = @_;
  my $pid = fork();
  if (!defined $pid) { print "F $id fork\n"; return; }
  if ($pid == 0) {
    $SIG{CHLD} = 'DEFAULT';
    $SIG{PIPE} = 'DEFAULT';
    POSIX::setsid();
    for my $kv (@env) {
      if ($kv =~ /^-(.*)$/s) { delete $ENV{$1} } else { my ($k, $v) = split /=/, $kv, 2; $ENV{$k} = $v }
    }
    if (!chdir $cwd) { syswrite STDOUT, "F $id cwd\n"; POSIX::_exit(127); }
    open STDIN, '<', '/dev/null';
    open STDOUT, '>', "$dir/$id.out";
    open STDERR, '>&', \*STDOUT;
    { exec { $shell } $shell, '-c', $cmd; }
    POSIX::_exit(127);
  }
  $live{$pid} = $id;
  print "S $id $pid\n";
}
for (;;) {
  reap();
  my $rin = '';
  vec($rin, fileno(STDIN), 1) = 1;
  vec($rin, fileno($wake_r), 1) = 1;
  next if select(my $rout = $rin, undef, undef, 1) <= 0;
  sysread($wake_r, my $drain, 4096) if vec($rout, fileno($wake_r), 1);
  next if !vec($rout, fileno(STDIN), 1);
  last if !sysread(STDIN, $buf, 65536, length $buf);
  while ($buf =~ /^(\d+)\n/) {
    my ($len, $at) = ($1, length($1) + 1);
    last if length($buf) < $at + $len;
    my $rec = substr($buf, $at, $len);
    $buf = substr($buf, $at + $len);
    launch(split /\0/, $rec, -1);
  }
}
$quiet = 1;
kill 'TERM', map { -$_ } keys %live;
for (my $i = 0; $i < $tenths && %live; $i++) {
  select(undef, undef, undef, 0.1);
  reap();
  delete $live{$_} for grep { !kill(0, -$_) } keys %live;
}
kill 'KILL', map { -$_ } keys %live;
unlink glob("$dir/*.out"), "$dir/owner";
rmdir $dir;
`;

export interface LaunchHandlers {
  started(pid: number): void;
  output(chunk: Buffer): void;
  exited(code: number | null, signal: NodeJS.Signals | null): void;
  failed(message: string): void;
}

interface Live extends LaunchHandlers {
  file: string;
  read: number;
  cwd: string;
  pid?: number;
}

const SIGNALS = new Map(
  Object.entries(os.constants.signals).map(([k, v]) => [v, k as NodeJS.Signals]),
);
const TAIL_MS = 250;
/** One read buffer for every tail (reads are synchronous). */
const READ = Buffer.alloc(64 * 1024);

function onPath(cmd: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(d || '.', cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

const PREFIX = 'tributary-out-';

/** Output folders of launchers that are gone (killed with -9 together with their runner). */
function removeLeftovers(base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(base).filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const n of names) {
    const dir = path.join(base, n);
    try {
      const [host = '', pid = '', start = ''] = fs
        .readFileSync(path.join(dir, 'owner'), 'utf8')
        .split(' ');
      if (ownerState({ host, pid: Number(pid), start }) !== 'dead') continue;
    } catch {
      // No owner file: only if it is old (one being made right now has none yet).
      const st = fs.statSync(dir, { throwIfNoEntry: false });
      if (!st || Date.now() - st.mtimeMs < 3_600_000) continue;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export class Launcher {
  private readonly child: ChildProcess;
  private readonly dir: string;
  private readonly base: NodeJS.ProcessEnv = { ...process.env };
  private readonly live = new Map<string, Live>();
  private next = 0;
  private text = '';
  private tailer: NodeJS.Timeout | undefined;
  private gone = false;

  /**
   * A launcher, or undefined where there is no Perl (or TRIBUTARY_LAUNCHER=0). Output files go
   * under `base` (`.tributary/out`: a disk, where /tmp may be memory), until each task ends.
   */
  static create(
    shell: string,
    graceMs: number,
    label: string,
    base = os.tmpdir(),
  ): Launcher | undefined {
    if (process.env.TRIBUTARY_LAUNCHER === '0') return undefined;
    const perl = onPath('perl');
    if (!perl) return undefined;
    try {
      fs.mkdirSync(base, { recursive: true });
    } catch {
      return undefined; // a read-only folder: Node spawn, as before
    }
    removeLeftovers(base);
    return new Launcher(perl, shell, graceMs, label, base);
  }

  private constructor(perl: string, shell: string, graceMs: number, label: string, base: string) {
    this.dir = fs.mkdtempSync(path.join(base, PREFIX));
    const args = ['-e', SCRIPT, shell, this.dir, String(Math.ceil(graceMs / 100)), label];
    // Its own session: the terminal's signals spare it, so it can clean up after the runner.
    this.child = spawn(perl, args, { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.unref();
    // Who owns the folder: a launcher killed with -9 leaves it, and the next launcher removes it.
    const pid = this.child.pid;
    if (pid !== undefined)
      fs.writeFileSync(
        path.join(this.dir, 'owner'),
        `${os.hostname()} ${pid} ${startTime(pid) ?? '?'}`,
      );
    this.child.on('error', () => this.lost());
    this.child.on('exit', () => this.lost());
    // The child handle is unref'd, so its 'exit' may never come once nothing else holds the event
    // loop: its stdout closing says the same (it holds it until it exits), and is ref'd while tasks live.
    this.child.stdout?.on('close', () => this.lost());
    this.child.stdin?.on('error', () => {});
    (this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (s: string) => this.receive(s));
    this.holdOpen(false);
  }

  /** The runner stays alive while a task is live, and never because of an idle launcher. */
  private holdOpen(live: boolean): void {
    const out = this.child.stdout as unknown as { ref?: () => void; unref?: () => void } | null;
    if (live) out?.ref?.();
    else out?.unref?.();
  }

  /** False once the launcher process has gone (killed on its own): start tasks another way. */
  get running(): boolean {
    return !this.gone;
  }

  start(a: Attempt, h: LaunchHandlers): void {
    const id = String(this.next++);
    if (this.gone) return h.failed('the task launcher is not running');
    const fields = [id, a.cwd, a.command];
    for (const [k, v] of Object.entries(a.env))
      if (v !== undefined && this.base[k] !== v) fields.push(`${k}=${v}`);
    for (const k of Object.keys(this.base)) if (a.env[k] === undefined) fields.push(`-${k}`);
    const rec = fields.join('\0');
    this.live.set(id, { ...h, file: path.join(this.dir, `${id}.out`), read: 0, cwd: a.cwd });
    if (this.live.size === 1) this.holdOpen(true);
    this.child.stdin?.write(`${Buffer.byteLength(rec)}\n${rec}`);
    this.tailer ??= setInterval(() => this.live.forEach((l) => this.drain(l)), TAIL_MS).unref();
  }

  /** No more tasks: the launcher exits (ending any group still live) and removes its files. */
  close(): void {
    clearInterval(this.tailer);
    this.child.stdin?.end();
  }

  private receive(s: string): void {
    const lines = (this.text + s).split('\n');
    this.text = lines.pop() ?? '';
    for (const line of lines) {
      const [kind, id = '', a = '', b = ''] = line.split(' ');
      const l = this.live.get(id);
      if (!l) continue;
      if (kind === 'S') {
        l.pid = Number(a);
        l.started(l.pid);
      } else if (kind === 'E') {
        this.finish(id, l);
        l.exited(Number(b) ? null : Number(a), Number(b) ? (SIGNALS.get(Number(b)) ?? null) : null);
      } else if (kind === 'F') {
        this.finish(id, l);
        l.failed(a === 'cwd' ? `cwd ${l.cwd} does not exist` : 'could not start the task');
      }
    }
  }

  private finish(id: string, l: Live): void {
    this.drain(l);
    this.live.delete(id);
    // Output can be large: gone at once. Empty files wait for the launcher's cleanup at the end.
    if (l.read > 0) fs.rmSync(l.file, { force: true });
    if (this.live.size === 0) {
      clearInterval(this.tailer);
      this.tailer = undefined;
      this.holdOpen(false);
    }
  }

  /** Reads what the task wrote since the last look. */
  private drain(l: Live): void {
    let fd: number;
    try {
      fd = fs.openSync(l.file, 'r');
    } catch {
      return; // not created yet
    }
    try {
      for (;;) {
        const n = fs.readSync(fd, READ, 0, READ.length, l.read);
        if (n <= 0) break;
        l.read += n;
        l.output(Buffer.from(READ.subarray(0, n)));
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The launcher died under us: every task it had is reported ended (its group is then ended). */
  private lost(): void {
    if (this.gone) return;
    this.gone = true;
    clearInterval(this.tailer);
    for (const [id, l] of this.live) {
      this.finish(id, l);
      if (l.pid !== undefined) l.exited(null, 'SIGKILL');
      else l.failed('the task launcher stopped unexpectedly');
    }
  }
}
