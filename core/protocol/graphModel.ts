/** Turns a validation into what the graph webview draws: task and source nodes, typed edges, diagnostics per node. */
import { structureKey } from '../graph/algorithms';
import { resolveTarget } from '../graph/resolve';
import { durationText } from '../durations';
import { isNode, stringify } from 'yaml';
import type { Finding, Target, Task } from '../model';
import { isSameOrInside } from '../paths';
import type { Validation } from '../validate/validate';
import type {
  GraphEdgeModel,
  GraphModel,
  GraphNodeModel,
  NodeDiagnostic,
  SyntaxProblem,
} from './webview';

const targetText = (t: Target): string =>
  t.kind === 'path'
    ? t.path
    : t.kind === 'hdfs'
      ? t.url
      : t.kind === 'postgres'
        ? `postgres:${t.table}`
        : `${t.type}:…`;

/** The object items of a task's lists, as YAML for the panel's read-only view. */
function objectTargets(t: Task): Pick<GraphNodeModel, 'objectTargets'> {
  const out: NonNullable<GraphNodeModel['objectTargets']> = [];
  for (const list of ['inputs', 'outputs'] as const)
    t[list].forEach((x, index) => {
      if (x.kind === 'postgres') {
        const { kind: _kind, range: _range, ...fields } = x;
        out.push({ list, index, yaml: stringify({ postgres: fields }).trimEnd() });
      } else if (x.kind === 'other') {
        const spec = isNode(x.spec) ? x.spec.toJSON() : x.spec;
        out.push({ list, index, yaml: stringify({ [x.type]: spec }).trimEnd() });
      }
    });
  return out.length ? { objectTargets: out } : {};
}

const diag = (f: Finding): NodeDiagnostic => ({
  severity: f.severity,
  code: f.code,
  message: f.message,
});

/** The first YAML syntax error of `text` (the graph then shows only what could be read). */
function syntaxProblem(v: Validation, text: string): SyntaxProblem | undefined {
  const errors = v.findings.filter((f) => f.code === 'yaml-syntax');
  const first = errors.reduce<Finding | undefined>(
    (a, f) => (!a || f.range.start < a.range.start ? f : a),
    undefined,
  );
  if (!first) return undefined;
  const before = text.slice(0, first.range.start);
  const line = before.split('\n').length;
  const column = first.range.start - before.lastIndexOf('\n');
  return { line, column, message: first.message, count: errors.length };
}

/** `text`, when given, lets the model say where the YAML stops parsing. */
export function toGraphModel(v: Validation, text?: string): GraphModel {
  const p = v.pipeline;
  const g = v.graph;
  const nodes: GraphNodeModel[] = p.tasks.map((t) => ({
    id: t.name,
    kind: 'task',
    label: t.name,
    ...(t.run !== undefined ? { run: t.run } : {}),
    ...(t.description !== undefined ? { description: t.description } : {}),
    // As written (not normalised), so that editing them in the panel round-trips.
    inputs: t.inputs.map(targetText),
    outputs: t.outputs.map(targetText),
    ...(t.needs.length ? { needs: t.needs.map((n) => n.value) } : {}),
    ...(Object.keys(t.env).length ? { env: t.env } : {}),
    ...(t.retries !== undefined ? { retries: t.retries } : {}),
    // Exact, as a person writes it (`5m`), so that the panel shows what was typed.
    ...(t.timeoutMs !== undefined ? { timeout: durationText(t.timeoutMs) } : {}),
    ...objectTargets(t),
    diagnostics: [],
  }));
  const byName = new Map(nodes.map((n) => [n.id, n]));
  const cycleEdges = new Set<string>();
  const other: NodeDiagnostic[] = [];
  for (const f of v.findings) {
    if (f.data?.kind === 'cycle-edge') cycleEdges.add(`${f.data.from}>${f.data.to}`);
    const owner = p.tasks.find(
      (t) =>
        f.range.start >= t.keyRange.start && f.range.end <= Math.max(t.range.end, t.keyRange.end),
    );
    if (owner) byName.get(owner.name)?.diagnostics.push(diag(f));
    else other.push(diag(f));
  }
  const edges: GraphEdgeModel[] = g.edges.map((e) => {
    const source = g.nodes[e.from]?.name ?? '';
    const target = g.nodes[e.to]?.name ?? '';
    return {
      id: `${e.kind}:${source}>${target}`,
      source,
      target,
      kind: e.kind,
      ...(e.via ? { label: e.via } : {}),
      cycle: cycleEdges.has(`${source}>${target}`),
    };
  });
  // Sources as nodes of their own, wired to the tasks whose inputs they cover.
  const params = p.params;
  p.sources.forEach((s) => {
    const r = resolveTarget(s, params);
    const id = `source:${r.id}`;
    if (byName.has(id)) return;
    nodes.push({ id, kind: 'source', label: r.id, inputs: [], outputs: [r.id], diagnostics: [] });
    byName.set(id, nodes[nodes.length - 1] as GraphNodeModel);
    g.nodes.forEach((n) => {
      if (
        n.inputs.some(
          (input) => !input.dynamic && (isSameOrInside(input.id, r.id) || input.id === r.id),
        )
      ) {
        edges.push({
          id: `source:${r.id}>${n.name}`,
          source: id,
          target: n.name,
          kind: 'source',
          cycle: false,
        });
      }
    });
  });
  const syntax = text !== undefined && !v.syntaxOk ? syntaxProblem(v, text) : undefined;
  return {
    structureKey: structureKey(g) + ':' + p.sources.length,
    pipeline: p.name ?? '',
    nodes,
    edges,
    other,
    params: Object.keys(p.params),
    ...(syntax ? { syntax } : {}),
  };
}
