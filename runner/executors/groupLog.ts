/**
 * `.tributary/groups/<run>.txt`: the task process groups a run has live, with their start times,
 * so that the next run can stop what a dead runner left behind (when even its watchdog is gone)
 * without ever signalling a reused pid. Removed when the run's executor is disposed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { endTargets, type Target } from './escapees';
import {
  environHas,
  findByEnv,
  listProcesses,
  ownerState,
  self,
  startTime,
  type Owner,
} from './procInfo';

export class GroupLog {
  private fd = -1;
  private file = '';

  constructor(private readonly dir: string) {}

  add(run: string, pgid: number): void {
    if (this.fd < 0) {
      try {
        fs.mkdirSync(this.dir, { recursive: true });
        this.file = path.join(this.dir, `${run.replace(/[^\w.-]/g, '_')}.txt`);
        this.fd = fs.openSync(this.file, 'a');
        const o = self();
        this.write(`owner ${o.host} ${o.pid} ${o.start} ${run}`);
      } catch {
        return; // A read-only folder loses this fallback, not the run (the watchdog remains).
      }
    }
    this.write(`+${pgid} ${startTime(pgid) ?? '?'}`);
  }

  remove(pgid: number): void {
    if (this.fd >= 0) this.write(`-${pgid}`);
  }

  close(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
    this.fd = -1;
  }

  private write(line: string): void {
    try {
      fs.writeSync(this.fd, line + '\n');
    } catch {
      // Disk full: the watchdog still covers this run.
    }
  }
}

interface Left {
  file: string;
  owner: Owner;
  run: string;
  groups: Map<number, string>;
}

function readLog(file: string): Left | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [head, ...lines] = text.split('\n');
  const h = /^owner (\S+) (\d+) (\S+) (\S+)$/.exec(head ?? '');
  if (!h) return undefined;
  const groups = new Map<number, string>();
  for (const l of lines) {
    const add = /^\+(\d+) (\S+)$/.exec(l);
    if (add) groups.set(Number(add[1]), add[2]!);
    else if (/^-\d+$/.test(l)) groups.delete(Number(l.slice(1)));
  }
  return { file, owner: { host: h[1]!, pid: Number(h[2]), start: h[3]! }, run: h[4]!, groups };
}

/**
 * Stops the process groups of runs whose runner is dead (same machine, pid gone or reused):
 * TERM, then KILL after the grace period. A group is signalled only if its leader still has the
 * recorded start time; if the leader is gone, only members whose environment names that run.
 * Processes of this user that its tasks moved out of their groups are found by the same name.
 * Returns one line per run that had something left.
 */
export async function stopOrphanGroups(dir: string, graceMs: number): Promise<string[]> {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.txt'));
  } catch {
    return [];
  }
  const dead = names
    .map((n) => readLog(path.join(dir, n)))
    .filter((l): l is Left => !!l && ownerState(l.owner) === 'dead');
  if (dead.length === 0) return [];
  const procs = listProcesses();
  const targets: Target[] = [];
  const report: string[] = [];
  for (const l of dead) {
    let n = 0;
    for (const [g, start] of l.groups) {
      const leader = procs.find((p) => p.pid === g);
      if (leader) {
        if (leader.start === start && start !== '?') {
          targets.push({ group: g });
          n++;
        }
        continue;
      }
      const members = procs.filter(
        (p) => p.pgid === g && environHas(p.pid, `TRIBUTARY_RUN_ID=${l.run}`),
      );
      for (const m of members) targets.push({ pid: m.pid, start: m.start });
      if (members.length > 0) n++;
    }
    // What its tasks moved out of their groups (setsid, a daemon): found by the run's id.
    const grouped = new Set(targets.flatMap((t) => ('pid' in t ? [t.pid] : [])));
    const escaped = findByEnv([`TRIBUTARY_RUN_ID=${l.run}`], new Set([process.pid])).filter(
      (p) => !grouped.has(p.pid) && !l.groups.has(procs.find((q) => q.pid === p.pid)?.pgid ?? -1),
    );
    targets.push(...escaped);
    if (n > 0 || escaped.length > 0)
      report.push(
        `stopping ${n} task process group(s)${escaped.length ? ` and ${escaped.length} process(es) moved out of them` : ''} left running by run ${l.run} (its runner, pid ${l.owner.pid}, is gone)`,
      );
  }
  await endTargets(targets, graceMs);
  for (const l of dead) fs.rmSync(l.file, { force: true });
  return report;
}
