// Pipeline generators shared by the benchmarks: chain, wide (N sources into one sink), layered (layers of 50).

/** Deterministic PRNG (mulberry32), so every run benchmarks the same graph. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns [{name, needs: string[]}] in the given shape. */
export function shape(kind, n, seed = 1) {
  const r = rng(seed);
  const tasks = [];
  for (let i = 0; i < n; i++) {
    const name = `t${i}`;
    if (kind === 'chain') tasks.push({ name, needs: i > 0 ? [`t${i - 1}`] : [] });
    else if (kind === 'wide')
      tasks.push({ name, needs: i === n - 1 ? tasks.map((t) => t.name) : [] });
    else {
      const layer = Math.floor(i / 50);
      const needs = new Set();
      if (layer > 0) {
        const prev = (layer - 1) * 50;
        while (needs.size < 2) needs.add(`t${prev + Math.floor(r() * 50)}`);
      }
      tasks.push({ name, needs: [...needs] });
    }
  }
  return tasks;
}

/** A pipeline file: every task runs `command` (with {name} replaced) and optionally writes out/<name>. */
export function pipelineYaml(tasks, { command = 'true', outputs = false } = {}) {
  const lines = ['pipeline: bench', 'tasks:'];
  for (const t of tasks) {
    lines.push(`  ${t.name}:`, `    run: ${JSON.stringify(command.replaceAll('{name}', t.name))}`);
    if (t.needs.length > 0) lines.push(`    needs: [${t.needs.join(', ')}]`);
    if (outputs) lines.push(`    outputs: [out/${t.name}]`);
  }
  return lines.join('\n') + '\n';
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
