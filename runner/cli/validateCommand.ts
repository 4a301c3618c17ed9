/** `tributary validate FILE [--json] [--remote]`. */
import { LineIndex } from '../../core/text/lines';
import type { Finding } from '../../core/model';
import { HdfsError } from '../hdfs/errors';
import { hdfsMissingInputs } from '../hdfs/remoteInputs';
import { loadPipeline } from '../load';
import { UserError } from '../userError';
import { findingJson, formatFinding } from '../render/findings';

export async function validateCommand(
  file: string,
  opts: { json?: boolean; remote?: boolean },
): Promise<number> {
  const loaded = loadPipeline(file);
  const lines = new LineIndex(loaded.text);
  // --remote: HDFS inputs are asked of the NameNode (never done without the flag).
  const findings = opts.remote
    ? [...loaded.findings, ...(await remoteFindings(loaded.text))].sort(
        (a, b) => a.range.start - b.range.start,
      )
    : loaded.findings;
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (opts.json) {
    const doc = {
      file,
      valid: errors === 0,
      errors,
      warnings: findings.length - errors,
      findings: findings.map((f) => findingJson(lines, f)),
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    for (const f of findings) process.stdout.write(formatFinding(file, lines, f) + '\n');
    if (findings.length === 0) {
      const n = loaded.pipeline.tasks.length;
      process.stderr.write(`${file}: valid (${n} task${n === 1 ? '' : 's'})\n`);
    }
  }
  return errors > 0 ? 1 : 0;
}

async function remoteFindings(text: string): Promise<Finding[]> {
  try {
    return await hdfsMissingInputs(text);
  } catch (e) {
    if (e instanceof HdfsError) throw new UserError(`cannot check HDFS inputs: ${e.message}`, 1);
    throw e;
  }
}
