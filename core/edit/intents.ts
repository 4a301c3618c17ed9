/**
 * Graph edits as intents: what the webview and the quick fixes ask for; never text. Lists are
 * string arrays; `env` is set as `KEY=value` strings.
 */

export type TaskField =
  | 'run'
  | 'description'
  | 'retries'
  | 'timeout'
  | 'retry_delay'
  | 'inputs'
  | 'outputs'
  | 'needs'
  | 'env'
  | 'cwd';

export type GraphIntent =
  | { kind: 'addTask'; name: string; run: string; needs?: string[] }
  | { kind: 'removeTask'; name: string }
  | { kind: 'renameTask'; from: string; to: string }
  | { kind: 'addDependency'; task: string; needs: string }
  | { kind: 'removeDependency'; task: string; needs: string }
  | {
      kind: 'setTaskField';
      task: string;
      field: TaskField;
      value: string | number | string[] | null;
    }
  | { kind: 'addSource'; path: string };

export const TASK_FIELDS: readonly TaskField[] = [
  'run',
  'description',
  'retries',
  'timeout',
  'retry_delay',
  'inputs',
  'outputs',
  'needs',
  'env',
  'cwd',
];
