/** Object targets of a list (a postgres table…) shown read-only as their YAML: the panel never rewrites them. */
import type { GraphNodeModel } from '../../../../core/protocol/webview';

export function ObjectTargets({
  node,
  list,
}: {
  node: GraphNodeModel;
  list: 'inputs' | 'outputs';
}) {
  const items = (node.objectTargets ?? []).filter((o) => o.list === list);
  if (items.length === 0) return null;
  return (
    <div className="object-targets" data-list={list}>
      <small>Also in {list}, kept as written (edit them in the YAML):</small>
      {items.map((o) => (
        <pre key={o.index} className="log object-target" aria-readonly="true">
          {o.yaml}
        </pre>
      ))}
    </div>
  );
}

/** The list's items that are written as strings (files, URLs): what the panel edits. */
export function stringItems(node: GraphNodeModel, list: 'inputs' | 'outputs'): string[] {
  const objects = new Set(
    (node.objectTargets ?? []).filter((o) => o.list === list).map((o) => o.index),
  );
  return node[list].filter((_, i) => !objects.has(i));
}
