/** Pure scheduling: which planned task may start now, given finished upstream, workers and resource pools. */
import type { Graph } from '../graph/graph';

export interface SchedulerOptions {
  workers: number;
  pools: Record<string, number>;
  /** Pool usage of each task (by index). */
  usage: (task: number) => Record<string, number>;
  /** Priority: lower first (the plan's topological position). */
  rank: (task: number) => number;
}

export class Scheduler {
  private readonly waiting = new Map<number, number>();
  private ready: number[] = [];
  private running = 0;
  private readonly inUse: Record<string, number> = {};
  private readonly blocked = new Set<number>();

  constructor(
    private readonly g: Graph,
    private readonly planned: Set<number>,
    private readonly opts: SchedulerOptions,
  ) {
    for (const t of planned) {
      let n = 0;
      for (const id of g.incoming[t] ?? []) if (planned.has(g.edges[id]?.from as number)) n++;
      this.waiting.set(t, n);
      if (n === 0) this.ready.push(t);
    }
    this.ready.sort((a, b) => opts.rank(a) - opts.rank(b));
  }

  /** Tasks ready to start but not yet taken (waiting for a worker or a pool). */
  get readyCount(): number {
    return this.ready.length;
  }

  get runningCount(): number {
    return this.running;
  }

  /** Takes the next task that fits the free workers and pools, or undefined. */
  take(): number | undefined {
    if (this.running >= this.opts.workers) return undefined;
    for (let i = 0; i < this.ready.length; i++) {
      const t = this.ready[i] as number;
      if (!this.fits(t)) continue;
      this.ready.splice(i, 1);
      this.acquire(t, 1);
      return t;
    }
    return undefined;
  }

  /** Frees a task's worker and pools while it waits to retry; `requeue` puts it back. */
  release(t: number): void {
    this.acquire(t, -1);
  }

  requeue(t: number): void {
    this.insertReady(t);
  }

  /** Marks a task done; returns the tasks that became ready, or on failure every planned task below it. */
  finish(t: number, ok: boolean): { ready: number[]; blocked: number[] } {
    this.acquire(t, -1);
    if (!ok) return { ready: [], blocked: this.blockBelow(t) };
    const ready: number[] = [];
    for (const id of this.g.outgoing[t] ?? []) {
      const d = this.g.edges[id]?.to as number;
      if (!this.planned.has(d) || this.blocked.has(d)) continue;
      const n = (this.waiting.get(d) ?? 0) - 1;
      this.waiting.set(d, n);
      if (n === 0) {
        ready.push(d);
        this.insertReady(d);
      }
    }
    return { ready, blocked: [] };
  }

  /** Removes every task still waiting (a cancel); returns them. */
  drain(): number[] {
    const out = [...this.ready];
    this.ready = [];
    return out;
  }

  private blockBelow(t: number): number[] {
    const out: number[] = [];
    const stack = [t];
    while (stack.length > 0) {
      const u = stack.pop() as number;
      for (const id of this.g.outgoing[u] ?? []) {
        const d = this.g.edges[id]?.to as number;
        if (!this.planned.has(d) || this.blocked.has(d)) continue;
        this.blocked.add(d);
        out.push(d);
        stack.push(d);
      }
    }
    return out;
  }

  private insertReady(t: number): void {
    const r = this.opts.rank(t);
    let i = this.ready.length;
    while (i > 0 && this.opts.rank(this.ready[i - 1] as number) > r) i--;
    this.ready.splice(i, 0, t);
  }

  private fits(t: number): boolean {
    for (const [pool, n] of Object.entries(this.opts.usage(t))) {
      const cap = this.opts.pools[pool] ?? Infinity;
      if ((this.inUse[pool] ?? 0) + n > cap) return false;
    }
    return true;
  }

  private acquire(t: number, sign: 1 | -1): void {
    this.running += sign;
    for (const [pool, n] of Object.entries(this.opts.usage(t)))
      this.inUse[pool] = (this.inUse[pool] ?? 0) + sign * n;
  }
}
