/** `tributary run`: live prefixed output, a progress line on a terminal, a closing summary. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDuration } from '../../core/durations';
import type { RunEvent } from '../../core/run/events';
import { countRun, instanceKey, type RunState } from '../../core/run/state';
import { defaultWorkers, runPipeline } from '../engine';
import { disposeExecutors, executorsFor } from '../executors/forPipeline';
import { checkTaskNames, loadValid, printWarnings } from './common';
import { type PartitionFlags, withPartitions } from './partitionFlags';
import { keepYoungGenerationSmall } from '../run/heapTrim';
import { instanceTargets } from '../run/partitioned';
import { renderPartitionSummary } from '../render/partitionSummary';
import { cancelOnSignals } from './signals';
import { statePaths } from '../records/paths';
import { Output, tolerateClosedStderr } from './output';
import { makeStyle, type Style } from '../render/style';
import { renderSummary } from '../render/summary';
import { UserError } from '../userError';

export interface RunFlags extends PartitionFlags {
  /** `tributary backfill`: every partition in the range when none is named; a summary per partition. */
  backfill?: boolean;
  force?: boolean;
  downstream?: boolean;
  workers?: number;
  param?: Record<string, string>;
  executor?: string;
  triggerFile?: string;
  /** Take a lock held by a run on another host (one that is gone for good). */
  breakLock?: boolean;
  /** Also write every event as a JSON line to this file descriptor (the extension reads fd 3). */
  eventsFd?: number;
}

function writeEvent(fd: number, e: RunEvent): void {
  try {
    fs.writeSync(fd, JSON.stringify(e) + '\n');
  } catch {
    // The reader went away; the run goes on (its record is on disk).
  }
}

function eventLine(e: RunEvent, style: Style): string | undefined {
  switch (e.event) {
    case 'task_started':
      return `${style.task(instanceKey(e.task, e.partition))} ${style.paint(36, '▶ started')}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    case 'task_finished':
      return e.status === 'success'
        ? `${style.task(instanceKey(e.task, e.partition))} ${style.paint(32, `✓ succeeded in ${formatDuration(e.duration_ms)}`)}`
        : `${style.task(instanceKey(e.task, e.partition))} ${style.paint(31, `✗ ${e.status.replace('_', ' ')}${e.message ? `: ${e.message}` : ''}`)}`;
    case 'task_retry':
      return `${style.task(instanceKey(e.task, e.partition))} ${style.paint(33, `↻ retry ${e.attempt} in ${formatDuration(e.delay_ms)} (${e.reason})`)}`;
    case 'task_skipped':
      return e.status === 'upstream_failed'
        ? `${style.task(instanceKey(e.task, e.partition))} ${style.paint(33, `⊘ ${e.reason}`)}`
        : undefined;
    case 'run_started':
    case 'task_queued':
    case 'run_finished':
      return undefined;
    case 'notify_error':
      return style.paint(33, `⚠ ${e.message} (the run's outcome is unchanged)`);
  }
}

export async function runCommand(file: string, tasks: string[], flags: RunFlags): Promise<number> {
  keepYoungGenerationSmall();
  const plain = loadValid(file, flags.param ?? {});
  printWarnings(file, plain);
  checkTaskNames(plain, tasks);
  // A partitioned pipeline runs one instance per task and partition (run/partitioned.ts).
  const loaded = withPartitions(plain, flags, { all: !!flags.backfill });
  if (flags.backfill && !loaded.partitioned)
    throw new UserError(`${file}: no task mentions \${partition}: nothing to backfill`);
  if (flags.executor !== undefined && flags.executor !== 'local' && flags.executor !== 'slurm')
    throw new UserError(`--executor must be local or slurm, got '${flags.executor}'`);
  const style = makeStyle(process.stdout);
  tolerateClosedStderr();
  const controller = new AbortController();
  const killer = new AbortController();
  let lastState: RunState | undefined;
  const out = new Output(
    () => {
      // Nobody reads our output any more (`| head -1`, the editor went away): cancel cleanly.
      if (controller.signal.aborted) return;
      process.stderr.write('tributary: stdout was closed: cancelling the run\n');
      controller.abort();
    },
    process.stdout,
    // A slow reader sees a marker for dropped lines: it names the run's log folder.
    () => path.join(path.relative('.', statePaths(file).logs) || '.', lastState?.id ?? '') + '/',
  );
  const live = out.isTTY && !process.env.CI;
  let progress = '';
  let shown = false;
  const clear = (): void => {
    if (live && shown) out.write('\r\x1b[K');
    shown = false;
  };
  const draw = (s: RunState | undefined): void => {
    if (!live || !s) return;
    const c = countRun(s);
    const running = s.order.filter((n) => s.tasks[n]?.state.status === 'running');
    progress = `${c.done}/${c.total} done · ${running.length} running${running.length ? ` (${running.slice(0, 3).join(', ')}${running.length > 3 ? '…' : ''})` : ''} · ${formatDuration(Date.now() - s.startedAt)}`;
    out.write(style.paint(90, progress));
    shown = true;
  };
  // The progress line counts every task: redrawn at most every 100 ms, not after every event
  // (per event, a no-op re-run of 10,000 tasks in a terminal took 22 s: quadratic).
  let drawnAt = 0;
  let drawTimer: NodeJS.Timeout | undefined;
  const redraw = (): void => {
    if (!live) return;
    const wait = drawnAt + 100 - Date.now();
    if (wait <= 0) {
      drawnAt = Date.now();
      clear();
      draw(lastState);
    } else if (!drawTimer) {
      drawTimer = setTimeout(() => {
        drawTimer = undefined;
        redraw();
      }, wait);
      drawTimer.unref();
    }
  };
  const stopDrawing = (): void => {
    clearTimeout(drawTimer);
    drawTimer = undefined;
    clear();
  };
  let over = false;
  const stop = cancelOnSignals(controller, killer, clear, () => over);
  const executors = await executorsFor(loaded, flags.executor as 'local' | 'slurm' | undefined);
  // Once, at run_finished: the launcher and watchdog are told it was a normal end ("bye") before
  // the notifications, so a signal then (which exits at once) does not read as the runner's death
  // and end what the run's tasks left running on purpose.
  let disposed: Promise<void> | undefined;
  const dispose = (): Promise<void> => (disposed ??= disposeExecutors(executors));
  try {
    const result = await runPipeline(loaded, {
      targets: instanceTargets(loaded, tasks),
      force: !!flags.force,
      downstream: !!flags.downstream,
      workers: flags.workers ?? defaultWorkers(),
      params: flags.param ?? {},
      ...(flags.triggerFile !== undefined ? { triggerFile: flags.triggerFile } : {}),
      ...(flags.executor ? { executorName: flags.executor as 'local' | 'slurm' } : {}),
      ...(flags.breakLock ? { breakLock: true } : {}),
      executors,
      signal: controller.signal,
      killSignal: killer.signal,
      warn: (m) => process.stderr.write(`tributary: warning: ${m}\n`),
      onOutput: (task, line) => {
        clear();
        out.line(`${style.task(task)} ${line}\n`);
        redraw();
      },
      onEvent: (e, s) => {
        lastState = s;
        if (e.event === 'run_finished') {
          over = true;
          void dispose();
        }
        if (flags.eventsFd !== undefined) writeEvent(flags.eventsFd, e);
        const line = eventLine(e, style);
        if (line) {
          clear();
          out.write(line + '\n');
        }
        if (e.event !== 'task_queued') redraw();
      },
    });
    stopDrawing();
    // A run stopped on its way (its record could not be written) has a summary and a reason;
    // one that could not start (a database down) only the reason.
    if (!result.message || result.plan.steps.length > 0) {
      if (flags.backfill && loaded.partitioned)
        out.write(
          '\n' +
            renderPartitionSummary(result.state, loaded.partitioned.keys, result.tails, style) +
            '\n',
        );
      else out.write('\n' + renderSummary(result.state, result.tails, style) + '\n');
    }
    if (result.message) process.stderr.write(`tributary: ${result.message}\n`);
    await dispose();
    return result.status === 'success' ? 0 : result.status === 'cancelled' ? 130 : 1;
  } finally {
    clearTimeout(drawTimer);
    stop();
  }
}
