/**
 * `validate --remote`: the `missing-input` check for HDFS inputs, asked of the NameNode. Never run on
 * every keystroke (the language server leaves HDFS inputs alone): only when a user asks.
 */
import { outputIndex, producersOf } from '../../core/graph/graph';
import { effectiveParams, resolveTarget } from '../../core/graph/resolve';
import type { Finding } from '../../core/model';
import { isSameOrInside } from '../../core/paths';
import { validate } from '../../core/validate/validate';
import { WebHdfsClient } from './client';
import { locateHdfs } from './config';

export async function hdfsMissingInputs(
  text: string,
  params: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Finding[]> {
  // Parsed again with source ranges (the runner's cached parse has none).
  const v = validate(text, { params });
  const p = v.pipeline;
  const sources = p.sources.map((s) => resolveTarget(s, effectiveParams(p, params)));
  const outputs = outputIndex(v.graph.nodes);
  const out: Finding[] = [];
  for (const n of v.graph.nodes) {
    for (const input of n.inputs) {
      if (input.target.kind !== 'hdfs' || input.dynamic) continue;
      if (producersOf(input, outputs).length > 0) continue;
      if (sources.some((s) => !s.dynamic && isSameOrInside(input.id, s.id))) continue;
      const place = locateHdfs(input.id, env);
      if (await new WebHdfsClient(place.endpoint).status(place.path)) continue;
      out.push({
        code: 'missing-input',
        severity: 'error',
        message: `input '${input.id}' of '${n.name}' is not produced by any task, not listed in sources and not in HDFS`,
        range: input.target.range,
        data: { kind: 'missing-input', path: input.id, task: n.name },
      });
    }
  }
  return out;
}
