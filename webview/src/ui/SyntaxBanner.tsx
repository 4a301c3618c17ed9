/** Over the graph while the YAML does not parse: where, and that the picture is incomplete (not a silent blank or partial graph). */
import type { SyntaxProblem } from '../../../core/protocol/webview';
import { post } from '../vscodeApi';

export function SyntaxBanner({ syntax }: { syntax: SyntaxProblem | undefined }) {
  if (!syntax) return null;
  const more = syntax.count > 1 ? ` (and ${syntax.count - 1} more)` : '';
  return (
    <div className="plan-banner plan-error syntax-banner" id="yaml-error" role="alert">
      <span className="codicon codicon-error" />
      <span>
        <b>The YAML does not parse</b> at line {syntax.line}, column {syntax.column}:{' '}
        {syntax.message}
        {more}. The graph shows only what could be read, and runs are refused until it is fixed.
      </span>
      <button className="icon-button" onClick={() => post({ type: 'view/problems' })}>
        Show problems
      </button>
    </div>
  );
}
