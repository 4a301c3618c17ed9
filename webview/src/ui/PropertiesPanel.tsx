/** The selected task's properties: edits become intents; diagnostics and the last log lines are shown. */
import { useEffect, useState } from 'react';
import type { TaskField } from '../../../core/edit/intents';
import type { GraphNodeModel } from '../../../core/protocol/webview';
import type { NodeStatus } from '../store';
import { VSCodeButton, VSCodeDivider, VSCodeTextArea, VSCodeTextField } from './toolkit';

export interface PanelProps {
  node: GraphNodeModel;
  status: NodeStatus;
  log: string[] | undefined;
  onField(field: TaskField, value: string | number | string[] | null): void;
  onRename(to: string): void;
  onReveal(): void;
  onShowLog(): void;
  onDelete(): void;
}

const lines = (s: string): string[] =>
  s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);
const text = (e: Event | React.FormEvent<HTMLElement>): string =>
  (e.target as HTMLInputElement | null)?.value ?? '';

function Field({
  label,
  initial,
  multiline,
  onCommit,
  id,
}: {
  label: string;
  initial: string;
  multiline?: boolean;
  onCommit(v: string): void;
  id: string;
}) {
  const [v, setV] = useState(initial);
  useEffect(() => setV(initial), [initial]);
  const commit = (): void => {
    if (v !== initial) onCommit(v);
  };
  const props = {
    id,
    value: v,
    onInput: (e: Event | React.FormEvent<HTMLElement>) => setV(text(e)),
    onBlur: commit,
  };
  return multiline ? (
    <VSCodeTextArea {...props} rows={3} resize="vertical">
      {label}
    </VSCodeTextArea>
  ) : (
    <VSCodeTextField
      {...props}
      onKeyDown={(e: React.KeyboardEvent) => {
        if (e.key === 'Enter') commit();
      }}
    >
      {label}
    </VSCodeTextField>
  );
}

export function PropertiesPanel(p: PanelProps) {
  const n = p.node;
  return (
    <aside className="panel" aria-label={`Properties of ${n.id}`}>
      <h2>{n.id}</h2>
      <Field id="prop-name" label="Name" initial={n.id} onCommit={(v) => p.onRename(v.trim())} />
      <Field
        id="prop-run"
        label="Command (run)"
        initial={n.run ?? ''}
        multiline
        onCommit={(v) => p.onField('run', v)}
      />
      <Field
        id="prop-inputs"
        label="Inputs (one a line)"
        initial={n.inputs.join('\n')}
        multiline
        onCommit={(v) => p.onField('inputs', lines(v).length ? lines(v) : null)}
      />
      <Field
        id="prop-outputs"
        label="Outputs (one a line)"
        initial={n.outputs.join('\n')}
        multiline
        onCommit={(v) => p.onField('outputs', lines(v).length ? lines(v) : null)}
      />
      <Field
        id="prop-retries"
        label="Retries"
        initial={n.retries !== undefined ? String(n.retries) : ''}
        onCommit={(v) => p.onField('retries', v.trim() === '' ? null : Number(v))}
      />
      <Field
        id="prop-timeout"
        label="Timeout (e.g. 30m)"
        initial={n.timeout ?? ''}
        onCommit={(v) => p.onField('timeout', v.trim() === '' ? null : v.trim())}
      />
      <div className="panel-actions">
        <VSCodeButton appearance="secondary" onClick={p.onReveal}>
          Go to YAML
        </VSCodeButton>
        <VSCodeButton appearance="secondary" onClick={p.onShowLog}>
          Show log
        </VSCodeButton>
        <VSCodeButton appearance="secondary" onClick={p.onDelete}>
          Delete
        </VSCodeButton>
      </div>
      {n.diagnostics.length > 0 && (
        <>
          <VSCodeDivider />
          <ul className="diagnostics">
            {n.diagnostics.map((d, i) => (
              <li key={i} className={d.severity}>
                <span
                  className={`codicon codicon-${d.severity === 'error' ? 'error' : 'warning'}`}
                />{' '}
                {d.message} <code>[{d.code}]</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {p.status.reason && <p className="reason">{p.status.reason}</p>}
      {p.status.metrics && (
        <table className="metrics" aria-label="metrics of the last run">
          <tbody>
            {Object.entries(p.status.metrics).map(([k, v]) => (
              <tr key={k}>
                <th>{k}</th>
                <td>{String(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.log && (
        <>
          <VSCodeDivider />
          <pre className="log" aria-label="last log lines">
            {p.log.join('\n')}
          </pre>
        </>
      )}
    </aside>
  );
}
