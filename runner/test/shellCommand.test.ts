/** The command rewriter against real bash and sh: every quoting context, hostile values, nothing runs. */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { lookupReference } from '../../core/interpolate';
import { shellCommand } from '../../core/shell/shellCommand';
import { tempDir } from './cliHelpers';
import { HOSTILE } from './hostileCorpus';

function run(shell: string, template: string, value: string, cwd: string) {
  const s = shellCommand(template);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const [name, ref] of Object.entries(s.vars))
    env[name] = lookupReference(ref, { params: { name: value, other: 'O' } }) ?? '';
  const r = spawnSync(shell, ['-c', s.command], { cwd, env, encoding: 'utf8' });
  return { ...r, rewritten: s };
}

const CASES: Array<{ template: string; expect: (v: string) => string }> = [
  { template: 'printf %s ${params.name}', expect: (v) => v },
  { template: 'printf %s "${params.name}"', expect: (v) => v },
  { template: 'printf %s "hello ${params.name}!"', expect: (v) => `hello ${v}!` },
  { template: "printf %s 'v=${params.name}'", expect: (v) => `v=${v}` },
  { template: "printf %s 'a'${params.name}'b'", expect: (v) => `a${v}b` },
  { template: 'printf %s data/${params.name}.csv', expect: (v) => `data/${v}.csv` },
  { template: 'printf %s "day = \'${params.name}\'"', expect: (v) => `day = '${v}'` },
  // Command substitution drops trailing newlines: that is the shell's doing, not ours.
  { template: 'printf %s "$(printf %s "${params.name}")"', expect: (v) => v.replace(/\n+$/, '') },
  { template: 'printf %s "$(printf %s ${params.name})"', expect: (v) => v.replace(/\n+$/, '') },
  { template: 'printf "%s|%s" ${params.name} ${params.other}', expect: (v) => `${v}|O` },
  { template: "printf %s $'x\\t'${params.name}", expect: (v) => `x\t${v}` },
  { template: "printf %s $'<${params.name}>'", expect: (v) => `<${v}>` },
  { template: 'X=${params.name}; printf %s "$X"', expect: (v) => v },
  { template: 'cat <<EOF\n${params.name}\nEOF', expect: (v) => `${v}\n` },
  { template: 'cat <<-EOF\n\tv=${params.name}\n\tEOF', expect: (v) => `v=${v}\n` },
  { template: '# ${params.name}\nprintf %s ok', expect: () => 'ok' },
  {
    template: 'cat <<EOF\n<$(printf %s "${params.name}")>\nEOF',
    expect: (v) => `<${v.replace(/\n+$/, '')}>\n`,
  },
  { template: '[ -n "${params.name}" ] && printf %s "${params.name}"; true', expect: (v) => v },
  { template: "printf %s '$${params.name}'x", expect: () => '${params.name}x' },
];

function runAsync(shell: string, template: string, value: string, cwd: string) {
  const s = shellCommand(template);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const [name, ref] of Object.entries(s.vars))
    env[name] = lookupReference(ref, { params: { name: value, other: 'O' } }) ?? '';
  return new Promise<{ stdout: string; command: string }>((resolve) =>
    execFile(shell, ['-c', s.command], { cwd, env, encoding: 'utf8' }, (_e, stdout) =>
      resolve({ stdout, command: s.command }),
    ),
  );
}

test('every quoting context: the value arrives byte for byte and nothing runs', async () => {
  const dir = tempDir();
  const jobs: Array<() => Promise<void>> = [];
  for (const shell of ['/bin/bash', '/bin/sh'])
    for (const c of CASES) {
      if (c.template.includes("$'") && shell === '/bin/sh') continue; // $'…' is bash
      if (c.template.includes('$${')) continue;
      for (const value of HOSTILE)
        jobs.push(async () => {
          const r = await runAsync(shell, c.template, value, dir);
          const what = `${shell} ${JSON.stringify(c.template)} with ${JSON.stringify(value.slice(0, 40))} → ${JSON.stringify(r.command)}`;
          assert.equal(r.stdout, c.expect(value), what);
        });
    }
  // A few at a time: hundreds of shells, on a small machine.
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }),
  );
  assert.ok(jobs.length > 500);
  assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false, 'a value was executed');
  const escaped = CASES.find((c) => c.template.includes('$${'))!;
  assert.equal(run('/bin/bash', escaped.template, 'v', dir).stdout, '${params.name}x');
});

test('the rewritten command holds no value, and one variable per distinct reference', () => {
  const s = shellCommand('cp ${params.name} "${params.name}" ${trigger.file} ${run.id}');
  assert.deepEqual(
    Object.values(s.vars).map((r) => `${r.ns}.${r.name}`),
    ['params.name', 'trigger.file', 'run.id'],
  );
  assert.equal(
    s.command,
    'cp "${TRIBUTARY_V_params_name}" "${TRIBUTARY_V_params_name}" "${TRIBUTARY_V_trigger_file}" "${TRIBUTARY_V_run_id}"',
  );
  assert.deepEqual(s.problems, []);
});

test('places that cannot be filled safely are problems that say how to rewrite, and stay empty', () => {
  const cases: Array<[string, RegExp]> = [
    ['echo `cat ${params.name}`', /backticks.*\$\(…\)/],
    ['echo $(( ${params.name} + 1 ))', /arithmetic/],
    ['(( n = ${params.name} ))', /arithmetic/],
    ['echo ${X:-${params.name}}', /assign it first/],
    ["cat <<'EOF'\n${params.name}\nEOF", /unquoted \(<<EOF\)/],
    ['let n=${params.name}+1', /let or declare -i/],
    ['declare -i n="${params.name}"', /let or declare -i/],
    ['[[ "${params.name}" -eq 1 ]] && echo one', /\[\[ … -eq … \]\]/],
    ['a[${params.name}]=1', /array index/],
    ['cat <<EOF\n$(( ${params.name} + 1 ))\nEOF', /arithmetic/],
    ['cat <<EOF\n`echo ${params.name}`\nEOF', /backticks/],
    ['cat <<"END"\nv=${params.name}\nEND', /<<END/],
  ];
  const dir = tempDir();
  for (const [template, why] of cases) {
    const s = shellCommand(template);
    assert.equal(s.problems.length, 1, template);
    assert.match(s.problems[0]!.message, why, template);
    assert.match(s.problems[0]!.message, /^\$\{params\.name\}/);
    assert.doesNotMatch(s.command, /params\.name|TRIBUTARY_V/, template);
    const r = run('/bin/bash', template, 'a[$(touch PWNED)]', dir);
    assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false, `executed: ${template}`);
    void r;
  }
  // After a quoted heredoc ends, references are filled again.
  const after = shellCommand("cat <<'EOF'\nplain\nEOF\necho ${params.name}");
  assert.deepEqual(after.problems, []);
  assert.match(after.command, /echo "\$\{TRIBUTARY_V_params_name\}"$/);
});

test('${partition}, ${partition.start} and ${partition.end} are filled the same way', () => {
  const s = shellCommand(
    "printf '%s|%s|%s' \"${partition}\" ${partition.start} '${partition.end}'",
  );
  assert.deepEqual(Object.keys(s.vars), [
    'TRIBUTARY_V_partition',
    'TRIBUTARY_V_partition_start',
    'TRIBUTARY_V_partition_end',
  ]);
  const values = {
    partition: 'a$(touch PWNED)',
    'partition.start': 'b`id`',
    'partition.end': "c'",
  };
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const [name, ref] of Object.entries(s.vars))
    env[name] = lookupReference(ref, { params: {}, partition: values }) ?? '';
  const dir = tempDir();
  const r = spawnSync('/bin/bash', ['-c', s.command], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(r.stdout, "a$(touch PWNED)|b`id`|c'");
  assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false);
});
