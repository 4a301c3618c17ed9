// The physical limit: spawn each task's shell in dependency order with W at a time, and nothing else.
// Usage: node bench/bare-spawner.mjs tasks.json WORKERS
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const tasks = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const workers = Number(process.argv[3] ?? 1);
const waiting = new Map(tasks.map((t) => [t.name, t.needs.length]));
const below = new Map(tasks.map((t) => [t.name, []]));
for (const t of tasks) for (const n of t.needs) below.get(n).push(t.name);
const ready = tasks.filter((t) => t.needs.length === 0).map((t) => t.name);
let running = 0;
let done = 0;

function pump() {
  while (running < workers && ready.length > 0) {
    const name = ready.shift();
    running++;
    const child = spawn('/bin/bash', ['-c', 'true'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.resume();
    child.stderr.resume();
    child.on('close', () => {
      running--;
      done++;
      for (const d of below.get(name)) {
        const n = waiting.get(d) - 1;
        waiting.set(d, n);
        if (n === 0) ready.push(d);
      }
      if (done === tasks.length) process.exit(0);
      pump();
    });
  }
}
pump();
