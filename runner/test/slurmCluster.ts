/**
 * A real single-node Slurm for tests (Debian's slurm-wlm and munge, as root, no systemd): a private
 * munge socket, a minimal slurm.conf, slurmctld and slurmd started here and stopped by pid.
 * See ../shared/notes/slurm-single-node.md for why each setting is there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface SlurmCluster {
  /** SLURM_CONF for clients (sbatch, squeue, scontrol, scancel). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const BINARIES = ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch'];

export function slurmUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a private Slurm cluster needs root here';
  const missing = BINARIES.filter((b) => !fs.existsSync(b));
  return missing.length
    ? `Slurm is not installed (Debian packages slurm-wlm munge; .ci/run installs them): ${missing.join(', ')}`
    : undefined;
}

function pidOf(file: string): number | undefined {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms)
      throw new Error(`Slurm test cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function log(root: string, f: string): string {
  try {
    return fs.readFileSync(path.join(root, f), 'utf8').slice(-1500);
  } catch {
    return '';
  }
}

/**
 * One cluster at a time on this machine (its ports are fixed): test files that each start one
 * (run two at once by `npm test`) wait their turn. A lock whose holder died is taken over.
 */
const LOCK = path.join(os.tmpdir(), 'tributary-slurm-cluster.lock');

async function takeLock(): Promise<() => void> {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      let held = true;
      return () => {
        if (held) fs.rmSync(LOCK, { recursive: true, force: true });
        held = false;
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = pidOf(path.join(LOCK, 'pid'));
    const alive = (() => {
      // Being taken (no pid yet), unless that was long ago.
      const made = fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      if (holder === undefined) return Date.now() - made < 10_000;
      try {
        process.kill(holder, 0);
        return true;
      } catch {
        return false;
      }
    })();
    if (!alive) fs.rmSync(LOCK, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startSlurm(): Promise<SlurmCluster> {
  const unlock = await takeLock();
  try {
    return await start(unlock);
  } catch (e) {
    unlock();
    throw e;
  }
}

async function start(unlock: () => void): Promise<SlurmCluster> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-slurm-'));
  const host = os.hostname().split('.')[0] ?? 'localhost';
  const sock = path.join(root, 'munge.sock');
  const key = path.join(root, 'munge.key');
  fs.writeFileSync(
    key,
    Buffer.alloc(1024, 0).map(() => Math.floor(Math.random() * 256)),
    { mode: 0o400 },
  );
  fs.chmodSync(key, 0o400);
  execFileSync('/usr/sbin/munged', [
    `--socket=${sock}`,
    `--key-file=${key}`,
    `--pid-file=${path.join(root, 'munged.pid')}`,
    `--log-file=${path.join(root, 'munged.log')}`,
    `--seed-file=${path.join(root, 'munged.seed')}`,
    '--force',
  ]);
  const node = execFileSync('/usr/sbin/slurmd', ['-C'], { encoding: 'utf8' })
    .split('\n')[0]!
    .replace(/^NodeName=\S+/, `NodeName=${host}`);
  const conf = path.join(root, 'slurm.conf');
  fs.writeFileSync(
    conf,
    [
      'ClusterName=tributarytest',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `AuthInfo=socket=${sock}`,
      'SlurmUser=root',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/filetxt',
      `JobCompLoc=${path.join(root, 'jobcomp.txt')}`,
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'SchedulerParameters=batch_sched_delay=0,sched_min_interval=0',
      'DependencyParameters=kill_invalid_depend',
      'MinJobAge=3600',
      'ReturnToService=2',
      'MailProg=/bin/true',
      `StateSaveLocation=${path.join(root, 'state')}`,
      `SlurmdSpoolDir=${path.join(root, 'spool')}`,
      `SlurmctldPidFile=${path.join(root, 'slurmctld.pid')}`,
      `SlurmdPidFile=${path.join(root, 'slurmd.pid')}`,
      `SlurmctldLogFile=${path.join(root, 'slurmctld.log')}`,
      `SlurmdLogFile=${path.join(root, 'slurmd.log')}`,
      'SlurmctldPort=16817',
      'SlurmdPort=16818',
      `${node} NodeAddr=127.0.0.1 State=UNKNOWN`,
      `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  fs.mkdirSync(path.join(root, 'state'));
  fs.mkdirSync(path.join(root, 'spool'));
  const env = { ...process.env, SLURM_CONF: conf };
  execFileSync('/usr/sbin/slurmctld', ['-i'], { env });
  execFileSync('/usr/sbin/slurmd', [], { env });
  const idle = (): boolean => {
    const r = spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' });
    return r.status === 0 && /^idle/m.test(r.stdout);
  };
  const stop = async (): Promise<void> => {
    const pids = ['slurmd.pid', 'slurmctld.pid', 'munged.pid']
      .map((f) => pidOf(path.join(root, f)))
      .filter((p): p is number => p !== undefined);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await waitFor(
      () =>
        pids.every((pid) => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        }),
      15_000,
      'the daemons to stop',
    ).catch(() => pids.forEach((pid) => process.kill(pid, 'SIGKILL')));
    fs.rmSync(root, { recursive: true, force: true });
    unlock();
  };
  try {
    await waitFor(idle, 20_000, 'the node to be idle');
  } catch (e) {
    // Leave nothing running (a second cluster on the same ports is the usual cause).
    const logs = [log(root, 'slurmctld.log'), log(root, 'slurmd.log')];
    await stop();
    throw new Error(`${(e as Error).message}\n${logs.join('\n')}`, { cause: e });
  }
  return { env: { SLURM_CONF: conf }, stop };
}
