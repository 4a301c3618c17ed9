/** Hover: a task (command, inputs, outputs, neighbours, last result), a cron expression, a duration, a param, a key. */
import { type Hover, MarkupKind } from 'vscode-languageserver';
import { downstreamOf, upstreamOf } from '../core/graph/algorithms';
import { findReferences } from '../core/interpolate';
import { formatDuration, parseDuration } from '../core/durations';
import type { Span, Task } from '../core/model';
import { cursorContext } from '../core/lang/context';
import {
  DEFAULTS_KEYS,
  PARTITION_PERIOD_KEYS,
  PARTITIONS_KEYS,
  PIPELINE_KEYS,
  TASK_KEYS,
} from '../core/schema/spec';
import { nextFireTimes } from '../core/validate/schedule';
import { type Analysis, lastResults } from './analysis';
import { toRange } from './convert';
import { localTime } from './localTime';
import { partitionRefDoc } from './partitions';

const inside = (s: Span, o: number): boolean => o >= s.start && o <= s.end;

function md(a: Analysis, value: string, range: Span): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(a.lines, range) };
}

function taskHover(a: Analysis, t: Task): string {
  const g = a.validation.graph;
  const i = g.index.get(t.name) as number;
  const lines = [
    `**task \`${t.name}\`**${t.description ? ` — ${t.description}` : ''}`,
    '',
    '```sh',
    t.run ?? '(no run)',
    '```',
  ];
  const list = (label: string, xs: string[]): void => {
    if (xs.length > 0) lines.push(`${label}: ${xs.map((x) => `\`${x}\``).join(', ')}`, '');
  };
  list('inputs', g.nodes[i]?.inputs.map((x) => x.id) ?? []);
  list('outputs', g.nodes[i]?.outputs.map((x) => x.id) ?? []);
  lines.push(`upstream: ${upstreamOf(g, [i]).size} · downstream: ${downstreamOf(g, [i]).size}`);
  const last = lastResults(a)[t.name];
  if (last)
    lines.push(
      '',
      `last run: **${last.status}**${last.durationMs !== undefined ? ` in ${formatDuration(last.durationMs)}` : ''}${last.finished ? `, finished ${localTime(last.finished)}` : ''}`,
    );
  return lines.join('\n');
}

export function hover(a: Analysis, offset: number): Hover | null {
  const p = a.validation.pipeline;
  // ${params.X} under the cursor.
  const lineStart = a.text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = a.text.indexOf('\n', offset);
  const line = a.text.slice(lineStart, lineEnd === -1 ? a.text.length : lineEnd);
  // ${partition}, ${partition.start}, ${partition.end}: what they stand for in this pipeline.
  for (const m of line.matchAll(/\$?\$\{\s*(partition(?:\.[\w.-]*)?)\s*\}/g)) {
    const span = { start: lineStart + m.index, end: lineStart + m.index + m[0].length };
    if (!m[0].startsWith('$$') && inside(span, offset))
      return md(a, partitionRefDoc(p, m[1] ?? ''), span);
  }
  // A key inside `partitions:` (daily, start, timezone…).
  const keyAt = /^(\s+)([\w-]+)\s*:/.exec(line);
  if (keyAt?.[1] && keyAt[2]) {
    const span = {
      start: lineStart + keyAt[1].length,
      end: lineStart + keyAt[1].length + keyAt[2].length,
    };
    const path = inside(span, offset) ? cursorContext(a.text, span.start).path : [];
    const keys = path.length === 1 ? PARTITIONS_KEYS : PARTITION_PERIOD_KEYS;
    const doc = keys[keyAt[2] as keyof typeof keys] as { doc: string } | undefined;
    if (path[0] === 'partitions' && path.length <= 2 && doc)
      return md(a, `**${keyAt[2]}** — ${doc.doc}`, span);
  }
  for (const ref of findReferences(line)) {
    const span = { start: lineStart + ref.start, end: lineStart + ref.end };
    if (!inside(span, offset)) continue;
    if (ref.ns === 'params')
      return md(
        a,
        Object.hasOwn(p.params, ref.name)
          ? `param \`${ref.name}\` = \`${p.params[ref.name]}\` (override with \`--param ${ref.name}=…\`)`
          : `param \`${ref.name}\` is not declared`,
        span,
      );
    if (ref.ns === 'env')
      return md(
        a,
        `environment variable \`${ref.name}\`${p.env[ref.name] !== undefined ? ` = \`${p.env[ref.name]}\` (pipeline env)` : ''}`,
        span,
      );
  }
  // A duration under any key that takes one (a task's, `defaults:`, `notify.email.digest`).
  const duration =
    /^(\s*(?:-\s+)?(?:timeout|retry_delay|digest)\s*:\s*)(["']?)([^"'#\s][^"'#]*?)\2\s*(?:#.*)?$/.exec(
      line.replace(/\r$/, ''),
    );
  if (duration?.[1] !== undefined && duration[3]) {
    const start = lineStart + duration[1].length;
    const span = { start, end: start + duration[2]!.length * 2 + duration[3].length };
    const ms = parseDuration(duration[3]);
    if (ms !== undefined && inside(span, offset))
      return md(a, `${formatDuration(ms)} (${ms} ms)`, span);
  }
  for (const s of p.schedule) {
    if (!inside(s.range, offset)) continue;
    const next = nextFireTimes(s.value, 3);
    return md(
      a,
      next.length
        ? `**cron** \`${s.value}\` — next (local time):\n\n${next.map((d) => `- ${localTime(d)}`).join('\n')}`
        : `\`${s.value}\` is not a valid cron expression`,
      s.range,
    );
  }
  for (const t of p.tasks) {
    if (inside(t.keyRange, offset)) return md(a, taskHover(a, t), t.keyRange);
    if (!inside(t.range, offset)) continue;
    for (const n of t.needs) {
      const target = p.taskIndex.get(n.value);
      if (inside(n.range, offset)) return target ? md(a, taskHover(a, target), n.range) : null;
    }
    for (const [key, f] of Object.entries(t.fields)) {
      if (!f) continue;
      if (inside(f.key, offset))
        return md(a, `**${key}** — ${TASK_KEYS[key as keyof typeof TASK_KEYS]?.doc ?? ''}`, f.key);
      if ((key === 'timeout' || key === 'retry_delay') && inside(f.value, offset)) {
        const ms = parseDuration(
          a.text.slice(f.value.start, f.value.end).replace(/^["']|["']$/g, ''),
        );
        if (ms !== undefined) return md(a, `${formatDuration(ms)} (${ms} ms)`, f.value);
      }
    }
  }
  for (const [key, f] of Object.entries(p.fields)) {
    if (f && inside(f.key, offset))
      return md(
        a,
        `**${key}** — ${PIPELINE_KEYS[key as keyof typeof PIPELINE_KEYS]?.doc ?? DEFAULTS_KEYS[key as keyof typeof DEFAULTS_KEYS]?.doc ?? ''}`,
        f.key,
      );
  }
  return null;
}
