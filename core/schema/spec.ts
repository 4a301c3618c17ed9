/**
 * The one description of the pipeline format's keys: the parser checks keys against it,
 * the language server takes completion and hover text from it, and
 * `schema/pipeline.schema.json` is generated from it (a test keeps them equal).
 */

export type JsonSchema = Record<string, unknown>;

export interface KeySpec {
  doc: string;
  schema: JsonSchema;
  required?: boolean;
}

const duration: JsonSchema = {
  oneOf: [
    { type: 'string', pattern: '^\\s*(\\d+(\\.\\d+)?(ms|s|m|h|d))+\\s*$|^\\s*\\d+(\\.\\d+)?\\s*$' },
    { type: 'number', minimum: 0 },
  ],
};
const stringList: JsonSchema = { type: 'array', items: { type: 'string' } };
const stringMap: JsonSchema = {
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
};
const notifyEvents: JsonSchema = {
  type: 'array',
  items: { enum: ['failure', 'success', 'retry'] },
};

export const POSTGRES_KEYS = {
  table: {
    doc: 'Table name, optionally schema-qualified.',
    schema: { type: 'string' },
    required: true,
  },
  dsn: {
    doc: 'Connection string; use `${env.DATABASE_URL}`, never a literal password.',
    schema: { type: 'string' },
  },
  where: {
    doc: 'A SQL condition: the target exists only when a row matches it.',
    schema: { type: 'string' },
  },
} satisfies Record<string, KeySpec>;

const target: JsonSchema = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      properties: {
        postgres: {
          type: 'object',
          properties: Object.fromEntries(
            Object.entries(POSTGRES_KEYS).map(([k, v]) => [k, { ...v.schema, description: v.doc }]),
          ),
          required: ['table'],
          additionalProperties: false,
        },
      },
      minProperties: 1,
      maxProperties: 1,
    },
  ],
};
const targets: JsonSchema = { type: 'array', items: target };

export const TASK_KEYS = {
  run: {
    doc: 'The shell command that performs the task.',
    schema: { type: 'string' },
    required: true,
  },
  needs: {
    doc: 'Tasks that must succeed before this one starts.',
    schema: { oneOf: [stringList, { type: 'string' }] },
  },
  inputs: {
    doc: "Files, folders, globs or targets the task reads. An input inside another task's output adds a dependency.",
    schema: targets,
  },
  outputs: {
    doc: 'What the task produces. The task is complete when they all exist and nothing it depends on changed.',
    schema: targets,
  },
  description: { doc: 'What the task does.', schema: { type: 'string' } },
  env: { doc: 'Extra environment variables for this task.', schema: stringMap },
  cwd: { doc: 'Working folder, relative to the pipeline file.', schema: { type: 'string' } },
  retries: { doc: 'Extra attempts after a failure.', schema: { type: 'integer', minimum: 0 } },
  retry_delay: {
    doc: 'Delay before the first retry; doubles on each further attempt.',
    schema: duration,
  },
  timeout: { doc: 'Longest a single attempt may take (e.g. `30m`).', schema: duration },
  resources: {
    doc: 'Pools this task uses, e.g. `{db: 1}`; pools are declared under top-level `resources`.',
    schema: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
  },
  executor: {
    doc: 'Where the task runs: `local` or `slurm`.',
    schema: { enum: ['local', 'slurm'] },
  },
} satisfies Record<string, KeySpec>;

export const DEFAULTS_KEYS = {
  retries: TASK_KEYS.retries,
  retry_delay: TASK_KEYS.retry_delay,
  timeout: TASK_KEYS.timeout,
  executor: TASK_KEYS.executor,
} satisfies Record<string, KeySpec>;

export const TRIGGER_KEYS = {
  files: {
    doc: 'A glob, relative to the pipeline file: a new or changed matching file starts a run.',
    schema: { type: 'string' },
    required: true,
  },
  existing: {
    doc: 'Files that match when `tributary serve` starts: `ignore` (default) or `process`.',
    schema: { enum: ['ignore', 'process'] },
  },
} satisfies Record<string, KeySpec>;

export const EMAIL_KEYS = {
  to: { doc: 'Recipients.', schema: { oneOf: [stringList, { type: 'string' }] }, required: true },
  on: { doc: 'When to send: any of failure, success, retry.', schema: notifyEvents },
  digest: {
    doc: 'Send at most one mail per this period; later events are gathered into the next one.',
    schema: duration,
  },
  subject: { doc: 'Subject prefix.', schema: { type: 'string' } },
} satisfies Record<string, KeySpec>;

export const COMMAND_KEYS = {
  run: {
    doc: 'Shell command run with the run summary as JSON on stdin.',
    schema: { type: 'string' },
    required: true,
  },
  on: EMAIL_KEYS.on,
} satisfies Record<string, KeySpec>;

function objectOf(keys: Record<string, KeySpec>): JsonSchema {
  const required = Object.entries(keys)
    .filter(([, v]) => v.required)
    .map(([k]) => k);
  return {
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(keys).map(([k, v]) => [k, { ...v.schema, description: v.doc }]),
    ),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

export const NOTIFY_KEYS = {
  email: { doc: 'E-mail through SMTP (`TRIBUTARY_SMTP_URL`).', schema: objectOf(EMAIL_KEYS) },
  command: { doc: 'A command that receives the run summary.', schema: objectOf(COMMAND_KEYS) },
} satisfies Record<string, KeySpec>;

export const PARTITION_PERIOD_KEYS = {
  start: {
    doc: 'The first partition: a key of the period (e.g. `2024-01-31`, `2024-W05`, `2024-01`) or a date.',
    schema: { type: 'string' },
    required: true,
  },
  end: {
    doc: 'The last partition (included). Default: the last finished period.',
    schema: { type: 'string' },
  },
  timezone: {
    doc: "IANA time zone of the periods, e.g. `UTC` or `Europe/Paris`. Default: the machine's.",
    schema: { type: 'string' },
  },
} satisfies Record<string, KeySpec>;

const period = (what: string, key: string): KeySpec => ({
  doc: `One partition per ${what}, keyed \`${key}\` (\`\${partition}\`).`,
  schema: objectOf(PARTITION_PERIOD_KEYS),
});

export const PARTITIONS_KEYS = {
  hourly: period('hour', '2024-01-31T13'),
  daily: period('day', '2024-01-31'),
  weekly: period('ISO week', '2024-W05'),
  monthly: period('month', '2024-01'),
  values: {
    doc: 'Partitions that are not time periods, e.g. `[eu, us, apac]`.',
    schema: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
  },
} satisfies Record<string, KeySpec>;

export const PIPELINE_KEYS = {
  pipeline: { doc: "The pipeline's name.", schema: { type: 'string' }, required: true },
  description: { doc: 'What the pipeline produces.', schema: { type: 'string' } },
  params: {
    doc: 'Parameters with defaults; override with `--param key=value`.',
    schema: stringMap,
  },
  env: { doc: 'Extra environment for every task.', schema: stringMap },
  defaults: { doc: 'Defaults for every task.', schema: objectOf(DEFAULTS_KEYS) },
  partitions: {
    doc: 'One run per period (`hourly`, `daily`, `weekly`, `monthly`) or per listed `values`; tasks that mention `${partition}` run once per partition.',
    schema: { ...objectOf(PARTITIONS_KEYS), minProperties: 1, maxProperties: 1 },
  },
  schedule: {
    doc: 'Cron expression(s), 5 fields or 6 with seconds, in local time (`tributary serve`).',
    schema: { oneOf: [{ type: 'string' }, stringList] },
  },
  catchup: {
    doc: 'Scheduled runs missed while `serve` was down: `none` (default), `latest`, or `all` (every missing partition since `start`, oldest first).',
    schema: { enum: ['none', 'latest', 'all'] },
  },
  on: {
    doc: 'Event triggers, e.g. `- files: "incoming/*.csv"`.',
    schema: { oneOf: [{ type: 'array', items: objectOf(TRIGGER_KEYS) }, objectOf(TRIGGER_KEYS)] },
  },
  notify: { doc: 'Notifications after runs.', schema: objectOf(NOTIFY_KEYS) },
  sources: { doc: 'External inputs that no task produces.', schema: targets },
  resources: {
    doc: 'Pools: at most N tasks of a pool at once, e.g. `db: 1`.',
    schema: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
  },
  tasks: {
    doc: 'The steps, by name.',
    schema: {
      type: 'object',
      propertyNames: { pattern: '^[\\p{L}_][\\p{L}\\p{M}\\p{N}_.-]*$' },
      additionalProperties: objectOf(TASK_KEYS),
    },
    required: true,
  },
} satisfies Record<string, KeySpec>;

export type PipelineKey = keyof typeof PIPELINE_KEYS;
export type TaskKey = keyof typeof TASK_KEYS;

export function pipelineJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://tributary.dev/schema/pipeline.schema.json',
    title: 'Tributary pipeline',
    ...objectOf(PIPELINE_KEYS),
  };
}
