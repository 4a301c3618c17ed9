/**
 * Long runs keep the heap near its live size: V8 lets garbage (events, log streams, launcher
 * messages, one task's env at a time) pile up in the old generation to ~3× the live heap before
 * it collects, which was most of the peak RSS of a run of 10,000 tasks (bench/RESULTS.md). A full
 * collection every `every` finished tasks costs ~50 ms, a few per 10,000 tasks.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let gcFn: (() => void) | null | undefined;

/** V8's full collection, exposed at run time; null where the flag cannot be set. */
function fullGc(): (() => void) | null {
  if (gcFn === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gcFn = vm.runInNewContext('gc') as () => void;
    } catch {
      gcFn = null;
    }
    if (typeof gcFn !== 'function') gcFn = null;
  }
  return gcFn;
}

/**
 * The V8 major versions `--semi-space-growth-factor=1` was measured on (Node 20's V8 11.x). Newer
 * V8 raises the factor to at least 2 (the gain would silently vanish) or may drop the flag, and
 * Electron's V8 (the extension spawns the CLI with VS Code's own binary) was never measured.
 */
const MEASURED_V8_MAJORS = [11];

/** Whether the flag is set in this process: plain Node, with a V8 of the measured range. */
export function growthFlagApplies(versions: NodeJS.ProcessVersions): boolean {
  if (versions.electron !== undefined) return false;
  return MEASURED_V8_MAJORS.includes(Number(versions.v8.split('.')[0]));
}

/**
 * Keeps V8's young generation at its starting size (2 MB instead of growing to 32 MB): nearly
 * everything a run allocates early (model, graph, state memos) lives to the end, so a bigger
 * young generation only copies it more and adds to the peak RSS. Set at the start of `run`,
 * before the pipeline is loaded; unlike `--max-semi-space-size`, this flag takes effect at run
 * time. `TRIBUTARY_HEAP_TRIM=0` leaves V8's default, as does any engine outside the measured range.
 */
export function keepYoungGenerationSmall(): void {
  if (process.env.TRIBUTARY_HEAP_TRIM === '0' || !growthFlagApplies(process.versions)) return;
  // No try/catch: setFlagsFromString does not throw; a flag V8 does not know is printed on stderr
  // ("Error: unrecognized flag"), which is why the version is checked first.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

let favoured = false;

/**
 * `--optimize-for-size` from now on: V8 keeps the old generation a little over its live size
 * instead of letting it grow up to 4x before collecting (taken into account at run time). For
 * the phases that make a large heap and much garbage — a large file parsed afresh, a run of
 * thousands of tasks (peak RSS of a first run of 10,000 tasks ~5 MB lower) — not for a no-op
 * re-run, whose CPU it raised ~30 % (more collections of a heap that is all live). Same engines
 * as `keepYoungGenerationSmall`; `TRIBUTARY_HEAP_TRIM=0` leaves V8's default.
 */
export function favourMemory(): void {
  if (favoured || process.env.TRIBUTARY_HEAP_TRIM === '0') return;
  if (!growthFlagApplies(process.versions)) return;
  favoured = true;
  v8.setFlagsFromString('--optimize-for-size');
}

/**
 * One full collection now, after a one-off burst of garbage that would otherwise sit in the old
 * generation while the next phase adds its own (the first parse and the validation of a large
 * file: 96-98 -> 92-94 MB of peak RSS at 10,000 tasks, for ~20 ms each, once per change of the
 * file). `TRIBUTARY_HEAP_TRIM=0`: no.
 */
export function collectNow(): void {
  // Not inside VS Code's extension host (it loads pipelines through runner/api): its heap is not
  // the CLI's to manage.
  if (process.env.TRIBUTARY_HEAP_TRIM === '0' || process.versions.electron !== undefined) return;
  fullGc()?.();
}

/** Garbage allowed over the live heap before a collection, between the every-N ones. */
const SLACK_BYTES = 3 * 1024 * 1024;
/** How often (finished tasks) the heap's size is looked at: a few microseconds each time. */
const LOOK_EVERY = 50;

const usedHeap = (): number => v8.getHeapStatistics().used_heap_size;

export class HeapTrim {
  private finished = 0;
  /** The heap in use right after the last collection (what is live). */
  private live = 0;

  constructor(
    private readonly every: number,
    /** Below this many tasks a run ends before garbage matters: never collect. */
    enabled: boolean,
  ) {
    if (!enabled || process.env.TRIBUTARY_HEAP_TRIM === '0') this.every = 0;
  }

  private collect(): void {
    const gc = fullGc();
    if (!gc) return;
    gc();
    this.live = usedHeap();
  }

  /** Once after planning: the parse's and the plan's garbage goes before the first task starts. */
  start(): void {
    if (this.every <= 0) return;
    favourMemory();
    this.collect();
  }

  /**
   * After each finished task: every `every` tasks, and sooner when garbage reached a few MB over
   * the live heap (a task's short-lived objects that V8 promoted while it ran: ~5 KB a task with
   * the launcher, more with a Node spawn each).
   */
  taskFinished(): void {
    if (this.every <= 0) return;
    const n = ++this.finished;
    if (n % this.every === 0) this.collect();
    else if (n % LOOK_EVERY === 0 && usedHeap() > this.live + SLACK_BYTES) this.collect();
  }
}
