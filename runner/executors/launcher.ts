/**
 * The task launcher: one small Perl process per run that starts every task of the local executor
 * (fork, setsid, exec of the shell: the cost of `xargs -P`, not of Node's spawn from a large
 * process) and reports each task's pid, output and exit status on one pipe. Each task's stdout
 * and stderr are one pipe (together, as a terminal shows them), read by the launcher: a task that
 * reopens /dev/stdout gets that pipe again and truncates nothing, and no file is made per task.
 * It is also the watchdog of its tasks: when the runner's end of the pipe closes, it ends every
 * live group (TERM, then KILL after the grace period). Without Perl, tasks are spawned by Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Attempt } from './types';

// Records in: `<byte length>\n` + NUL-separated id, cwd, log file (may be empty), command, then
// env changes (`K=V` sets, a bare `K` removes); an empty record (`0\n`) is the runner's normal end
// ("bye"). If the runner dies, what its tasks print from then on goes to their log files, after a
// line saying when: the log's time is then the task's last sign of life for `history`.
// Out: `S id pid\n`, `O id length\n<bytes>` (output), `E id code signal left\n` (left: 1 if its
// group outlived its shell), then with left `C id\n` once its pipe is closed, `F id cwd|fork why\n`.
// A task's `E` comes after all the output its shell wrote; with left, the pipe is read on until
// EOF or until the group is gone (what the group prints while it is ended is kept).
const SCRIPT = String.raw`
use POSIX ();
use IO::Handle;
my ($shell, $tenths, $run) = @ARGV;
my $bye = 0;
$| = 1;
my %live;   # pid -> id
my %out;    # id -> the read end of its output pipe
my $buf = '';
my $quiet = 0;
my %left;   # pgid -> 1: groups that outlived their shell, ended with the rest if the runner dies
my %ending; # id -> pgid: its shell exited, its group lives on; its pipe is read until EOF or the group is gone
my %log;    # id -> its log file, written only once the runner is gone
binmode STDIN; binmode STDOUT;
# A child's exit also wakes select through this pipe, even if it came just before select began.
pipe(my $wake_r, my $wake_w);
$wake_w->blocking(0);
$wake_r->blocking(0);
$SIG{CHLD} = sub { syswrite $wake_w, 'x' };
$SIG{PIPE} = 'IGNORE';
# Forwards what is in the task's pipe now; at its end (or with $last) the pipe is closed.
# Appends to a task's log (the runner that wrote it is gone); a log that cannot be opened is let be.
sub tolog {
  my ($id, $text) = @_;
  my $file = $log{$id};
  return if $bye || !defined $file || $file eq '';
  open(my $f, '>>', $file) or return;
  binmode $f;
  print $f $text;
  close $f;
}
# Whether a log ends a line (or is empty, or missing): a note then starts on a line of its own.
sub endsline {
  open(my $f, '<', $_[0]) or return 1;
  binmode $f;
  return 1 if !seek($f, -1, 2);
  my $n = read($f, my $c, 1);
  return !$n || $c eq "\n";
}
sub pump {
  my ($id, $last) = @_;
  my $fh = $out{$id} or return;
  # A last read takes what is there, not what a process outside the group goes on writing.
  my $budget = 64;
  for (;;) {
    my $n = sysread($fh, my $data, 65536);
    if ($n) { if ($quiet) { tolog($id, $data) } else { print "O $id $n\n$data" } next if $last && --$budget > 0; return if !$last; }
    last if defined $n || $last;
    return;    # nothing more for now
  }
  close $fh;
  delete $out{$id};
  print "C $id\n" if defined(delete $ending{$id}) && !$quiet;
}
sub reap {
  while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
    my $id = delete $live{$pid};
    next if !defined $id;
    my $status = $?;
    # Whether the group outlived its shell (a background child): only then must it be ended.
    my $left = kill(0, -$pid) ? 1 : 0;
    # Its group lives on: the pipe stays open (read on) until EOF or the group is gone (C).
    $left{$pid} = 1 if $left;
    if ($left && $out{$id}) { $ending{$id} = $pid; } else { pump($id, 1); }
    print "E $id " . ($status >> 8) . ' ' . ($status & 127) . " $left\n" if !$quiet;
    print "C $id\n" if $left && !$out{$id} && !$quiet;
  }
}
sub launch {
  my ($id, $cwd, $logfile, $cmd, @env) = @_;
  if (!-d $cwd) { print "F $id cwd\n"; return; }
  my ($r, $w);
  if (!pipe($r, $w)) { print "F $id fork $!\n"; return; }
  my $pid = fork();
  if (!defined $pid) { my $why = "$!"; close $r; close $w; print "F $id fork $why\n"; return; }
  if ($pid == 0) {
    $SIG{CHLD} = 'DEFAULT';
    $SIG{PIPE} = 'DEFAULT';
    POSIX::setsid();
    for my $kv (@env) {
      # K=V sets, a bare K removes (a name never holds '=', and may start with '-').
      if (index($kv, '=') < 0) { delete $ENV{$kv} } else { my ($k, $v) = split /=/, $kv, 2; $ENV{$k} = $v }
    }
    open STDIN, '<', '/dev/null';
    POSIX::dup2(fileno($w), 1);
    POSIX::dup2(fileno($w), 2);
    # Removed since the check above: said in the task's output (only the launcher writes its own).
    if (!chdir $cwd) { print "tributary: cannot enter the task's folder $cwd: $!\n"; POSIX::_exit(127); }
    { exec { $shell } $shell, '-c', $cmd; }
    print "tributary: cannot run the shell $shell: $!\n";
    POSIX::_exit(127);
  }
  close $w;
  binmode $r;
  $r->blocking(0);
  $out{$id} = $r;
  $log{$id} = $logfile;
  $live{$pid} = $id;
  print "S $id $pid\n";
}
for (;;) {
  reap();
  my $rin = '';
  vec($rin, fileno(STDIN), 1) = 1;
  vec($rin, fileno($wake_r), 1) = 1;
  vec($rin, fileno($_), 1) = 1 for values %out;
  my $ready = select(my $rout = $rin, undef, undef, 1);
  if ($ready > 0) {
    sysread($wake_r, my $drain, 4096) if vec($rout, fileno($wake_r), 1);
    for my $id (keys %out) { pump($id) if vec($rout, fileno($out{$id}), 1); }
  }
  # A group gone (a process outside it may still hold the pipe): what is left, then closed.
  for my $id (keys %ending) { pump($id, 1) if !kill(0, -$ending{$id}); }
  delete $left{$_} for grep { !kill(0, -$_) } keys %left;
  next if $ready <= 0 || !vec($rout, fileno(STDIN), 1);
  last if !sysread(STDIN, $buf, 65536, length $buf);
  while ($buf =~ /^(\d+)\n/) {
    my ($len, $at) = ($1, length($1) + 1);
    last if length($buf) < $at + $len;
    my $rec = substr($buf, $at, $len);
    $buf = substr($buf, $at + $len);
    if ($len == 0) { $bye = 1; next; }
    launch(split /\0/, $rec, -1);
  }
}
$quiet = 1;
# The runner died (no bye): this user's processes that its tasks moved out of their groups
# (setsid, daemons) still carry the run's id in their environment; never this process.
sub escaped {
  return () if $bye || !$run;
  opendir(my $d, '/proc') or return ();
  my @p;
  for my $n (readdir $d) {
    next if $n !~ /^\d+$/ || $n == $$ || ((stat "/proc/$n")[4] // -1) != $<;
    open(my $f, '<', "/proc/$n/environ") or next;
    my $e = do { local $/; <$f> };
    push @p, $n if defined $e && index("\0$e", "\0TRIBUTARY_RUN_ID=$run\0") >= 0;
  }
  return @p;
}
# The runner died with these tasks live: their logs say when (and take what they print from now).
if (!$bye) {
  my $when = POSIX::strftime('%Y-%m-%d %H:%M:%S', localtime);
  for my $id (grep { $_ ne '' } values %live) {
    my $file = $log{$id};
    next if !defined $file || $file eq '';
    tolog($id, (endsline($file) ? '' : "\n") . "tributary: the runner stopped at $when before this task ended (killed?): the task is ended now\n");
  }
}
$live{$_} //= '' for keys %left;
kill 'TERM', map { -$_ } keys %live;
my @esc = escaped();
kill 'TERM', @esc;
for (my $i = 0; $i < $tenths && (%live || @esc); $i++) {
  select(undef, undef, undef, 0.1);
  reap();
  # What tasks print while they end (a shell gone before the rest of its group too) is kept.
  pump($_) for keys %out;
  # A shell that died of that TERM may leave a group that ignores it: still watched, then KILLed.
  $live{$_} //= '' for keys %left;
  delete $live{$_} for grep { !kill(0, -$_) } keys %live;
  @esc = escaped() if @esc;
}
kill 'KILL', map { -$_ } keys %live;
kill 'KILL', escaped();
pump($_, 1) for keys %out;
`;

export interface LaunchHandlers {
  started(pid: number): void;
  output(chunk: Buffer): void;
  /** `left`: processes of the task's group outlived its shell (false: the group is gone). */
  exited(code: number | null, signal: NodeJS.Signals | null, left: boolean): void;
  failed(message: string): void;
  /** After `exited` with `left`: the task's pipe is closed (EOF, or its group is gone). */
  closed?(): void;
}

interface Live extends LaunchHandlers {
  cwd: string;
  pid?: number;
  ended?: boolean;
}

/** Perl's own settings that would change how the launcher reads and writes (a user's -CSDA). */
const PERL_VARS = [
  'PERL5OPT',
  'PERL_UNICODE',
  'PERLIO',
  'PERL5LIB',
  'PERLLIB',
  'PERL5DB',
  'PERL_SIGNALS',
];

const SIGNALS = new Map(
  Object.entries(os.constants.signals).map(([k, v]) => [v, k as NodeJS.Signals]),
);
const NL = 0x0a;
/** Tasks live in one launcher at most (each holds a descriptor of its select()). */
const MAX_LIVE = 900;

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

export class Launcher {
  private readonly child: ChildProcess;
  /** The launcher's environment: what each task's is told apart from (PERL_VARS come back that way). */
  private readonly base: NodeJS.ProcessEnv = { ...process.env };
  private readonly live = new Map<string, Live>();
  private next = 0;
  /** Bytes received but not yet a whole line or frame. */
  private pending: Buffer | undefined;
  private gone = false;

  /** A launcher, or undefined where there is no Perl (or TRIBUTARY_LAUNCHER=0). */
  static create(shell: string, graceMs: number, label: string): Launcher | undefined {
    if (process.env.TRIBUTARY_LAUNCHER === '0') return undefined;
    const perl = onPath('perl');
    if (!perl) return undefined;
    return new Launcher(perl, shell, graceMs, label);
  }

  private constructor(perl: string, shell: string, graceMs: number, label: string) {
    // The label (the run id) only names the process, so a run's watchdog can be found.
    const args = ['-e', SCRIPT, shell, String(Math.ceil(graceMs / 100)), label];
    // Its own session: the terminal's signals spare it, so it can clean up after the runner.
    for (const k of PERL_VARS) delete this.base[k];
    // Nor the id of a run this runner was started from: that run's cancel ends what carries it,
    // and this launcher must outlive it to end its own tasks (each task gets its own id anyway).
    delete this.base.TRIBUTARY_RUN_ID;
    this.child = spawn(perl, args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
      env: this.base,
    });
    this.child.unref();
    this.child.on('error', () => this.lost());
    this.child.on('exit', () => this.lost());
    // The child handle is unref'd, so its 'exit' may never come once nothing else holds the event
    // loop: its stdout closing says the same (it holds it until it exits), and is ref'd while tasks live.
    this.child.stdout?.on('close', () => this.lost());
    this.child.stdin?.on('error', () => {});
    (this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.child.stdout?.on('data', (b: Buffer) => this.receive(b));
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

  /**
   * Whether it can take one more task now: Perl's select() watches at most 1,024 descriptors,
   * one per live task, so past MAX_LIVE tasks at once (`--workers 1000`) Node spawns the rest.
   */
  get roomy(): boolean {
    return !this.gone && this.live.size < MAX_LIVE;
  }

  start(a: Attempt, h: LaunchHandlers): void {
    const id = String(this.next++);
    if (this.gone) return h.failed('the task launcher is not running');
    const fields = [id, a.cwd, a.log ?? '', a.command];
    for (const k in a.env) {
      const v = a.env[k];
      if (v !== undefined && this.base[k] !== v) fields.push(`${k}=${v}`);
    }
    for (const k in this.base) if (a.env[k] === undefined) fields.push(k);
    const rec = fields.join('\0');
    this.live.set(id, { ...h, cwd: a.cwd });
    if (this.live.size === 1) this.holdOpen(true);
    this.child.stdin?.write(`${Buffer.byteLength(rec)}\n${rec}`);
  }

  /** No more tasks: the launcher exits (ending any group still live); a normal end says bye first. */
  close(): void {
    this.child.stdin?.end('0\n');
  }

  /** The launcher's process id (never among what a cancel ends). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Lines (`S`, `E`, `C`, `F`) and output frames (`O id length` + bytes), possibly cut anywhere. */
  private receive(chunk: Buffer): void {
    const b = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    for (;;) {
      const nl = b.indexOf(NL, at);
      if (nl < 0) break;
      const [kind, id = '', x = '', y = '', z = ''] = b.toString('latin1', at, nl).split(' ');
      if (kind === 'O') {
        const end = nl + 1 + Number(x);
        if (end > b.length) break; // the rest of the frame is still coming
        // A copy: `b` may be kept (pending) and the task's handler may keep the chunk.
        this.live.get(id)?.output(Buffer.from(b.subarray(nl + 1, end)));
        at = end;
        continue;
      }
      const line = at;
      at = nl + 1;
      const l = this.live.get(id);
      if (!l) continue;
      if (kind === 'S') {
        l.pid = Number(x);
        l.started(l.pid);
      } else if (kind === 'E') {
        // A group that lives on: its pipe is still read, until `C`.
        if (z === '0') this.finish(id);
        else l.ended = true;
        const signal = Number(y) ? (SIGNALS.get(Number(y)) ?? null) : null;
        l.exited(Number(y) ? null : Number(x), signal, z !== '0');
      } else if (kind === 'C') {
        this.finish(id);
        l.closed?.();
      } else if (kind === 'F') {
        this.finish(id);
        // `F id fork <reason>`: the system's words (e.g. too many open files).
        const why = b.toString('utf8', line, nl).split(' ').slice(3).join(' ') || 'fork failed';
        l.failed(x === 'cwd' ? `cwd ${l.cwd} does not exist` : `could not start the task: ${why}`);
      }
    }
    this.pending = at < b.length ? Buffer.from(b.subarray(at)) : undefined;
  }

  private finish(id: string): void {
    this.live.delete(id);
    if (this.live.size === 0) this.holdOpen(false);
  }

  /** The launcher died under us: every task it had is reported ended (its group is then ended). */
  private lost(): void {
    if (this.gone) return;
    this.gone = true;
    for (const [id, l] of this.live) {
      this.finish(id);
      if (l.pid !== undefined && !l.ended) l.exited(null, 'SIGKILL', true);
      if (l.pid !== undefined) l.closed?.();
      else l.failed('the task launcher stopped unexpectedly');
    }
  }
}
