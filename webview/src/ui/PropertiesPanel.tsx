/** The selected task's properties: edits become intents; diagnostics and the last log lines are shown. */
import { useLayoutEffect, useRef } from 'react';
import type { TaskField } from '../../../core/edit/intents';
import type { GraphNodeModel } from '../../../core/protocol/webview';
import type { NodeStatus } from '../store';
import { Field } from './panel/Field';
import { ObjectTargets, stringItems } from './panel/ObjectTargets';
import { useRejections } from './panel/useRejections';
import { duration, envLines, list, text, wholeNumber } from './panel/values';
import { VSCodeButton, VSCodeDivider } from './toolkit';

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

export function PropertiesPanel(p: PanelProps) {
  const n = p.node;
  const rejections = useRejections();
  return (
    // Keyed by task: another task's panel opens at its top (its outcome), not where the last was scrolled.
    <aside key={n.id} className="panel" aria-label={`Properties of ${n.id}`}>
      <h2>{n.id}</h2>
      {/*
        What happened first, then the form: a click on a failed node shows its error here, in
        view, not under ten fields a person must scroll past.
      */}
      {n.diagnostics.length > 0 && (
        <ul className="diagnostics">
          {n.diagnostics.map((d, i) => (
            <li key={i} className={d.severity}>
              <span className={`codicon codicon-${d.severity === 'error' ? 'error' : 'warning'}`} />{' '}
              {d.message} <code>[{d.code}]</code>
            </li>
          ))}
        </ul>
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
      {p.log && <LogBox lines={p.log} />}
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
      <VSCodeDivider />
      {/* Keyed by task: a draft typed for one task can never be committed to another. */}
      <TaskFields key={n.id} {...p} rejections={rejections} />
    </aside>
  );
}

/** The log's last lines in a box of its own, scrolled to its end: the error is usually last. */
function LogBox({ lines }: { lines: string[] }) {
  const ref = useRef<HTMLPreElement>(null);
  useLayoutEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [lines]);
  return (
    <pre ref={ref} className="log" aria-label="last log lines">
      {lines.join('\n')}
    </pre>
  );
}

/** The editable fields of one task. */
function TaskFields(p: PanelProps & { rejections: number }) {
  const n = p.node;
  const common = { rejections: p.rejections };
  return (
    <>
      <Field
        {...common}
        id="prop-name"
        label="Name"
        initial={n.id}
        parse={(v) => text(v.trim())}
        onCommit={p.onRename}
      />
      <Field
        {...common}
        id="prop-run"
        label="Command (run)"
        initial={n.run ?? ''}
        multiline
        parse={text}
        onCommit={(v) => p.onField('run', v)}
      />
      <Field
        {...common}
        id="prop-description"
        label="Description"
        initial={n.description ?? ''}
        parse={(v) => ({ value: v.trim() === '' ? null : v })}
        onCommit={(v) => p.onField('description', v)}
      />
      <Field
        {...common}
        id="prop-needs"
        label="Needs (one task a line)"
        initial={(n.needs ?? []).join('\n')}
        multiline
        parse={list}
        onCommit={(v) => p.onField('needs', v)}
      />
      <Field
        {...common}
        id="prop-env"
        label="Environment (KEY=value, one a line)"
        initial={Object.entries(n.env ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')}
        multiline
        parse={envLines}
        onCommit={(v) => p.onField('env', v)}
      />
      <Field
        {...common}
        id="prop-inputs"
        label="Inputs (one a line)"
        initial={stringItems(n, 'inputs').join('\n')}
        multiline
        parse={list}
        onCommit={(v) => p.onField('inputs', v)}
      />
      <ObjectTargets node={n} list="inputs" />
      <Field
        {...common}
        id="prop-outputs"
        label="Outputs (one a line)"
        initial={stringItems(n, 'outputs').join('\n')}
        multiline
        parse={list}
        onCommit={(v) => p.onField('outputs', v)}
      />
      <ObjectTargets node={n} list="outputs" />
      <Field
        {...common}
        id="prop-retries"
        label="Retries"
        initial={n.retries !== undefined ? String(n.retries) : ''}
        parse={wholeNumber}
        onCommit={(v) => p.onField('retries', v)}
      />
      <Field
        {...common}
        id="prop-timeout"
        label="Timeout (e.g. 30m)"
        initial={n.timeout ?? ''}
        parse={duration}
        onCommit={(v) => p.onField('timeout', v)}
      />
    </>
  );
}
