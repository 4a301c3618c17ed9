/** The command rewriter against real bash and sh: every quoting context, hostile values, nothing runs. */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { lookupReference } from '../../core/interpolate';
import { type ShellCommand, shellCommand } from '../../core/shell/shellCommand';
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
  // Here-strings (bash): `<<<` is followed by a word, filled like any other word.
  { template: 'cat <<< "${params.name}"', expect: (v) => `${v}\n` },
  { template: 'cat <<< ${params.name}', expect: (v) => `${v}\n` },
  { template: 'read -r h <<< "$HOME"; printf %s "${params.name}"', expect: (v) => v },
  { template: "cat <<< hi >/dev/null; printf '[%s]' ${params.name}", expect: (v) => `[${v}]` },
];

/**
 * Runs rewritten commands once per value in ONE shell (starting a shell through Node costs
 * ~150 ms on a loaded machine: 40 shells instead of ~900). Each value is exported in the
 * command's variables as the runner does, the command is parsed by `eval` in a subshell (the
 * same parser `sh -c` uses), and the outputs (command-major) are separated by NUL bytes.
 */
function runAll(
  shell: string,
  commands: Array<Pick<ShellCommand, 'command' | 'vars'>>,
  values: string[],
  cwd: string,
  prelude = '',
) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  values.forEach((v, i) => (env[`V${i}`] = v));
  const blocks = commands.map(({ command, vars }, j) => {
    env[`CMD${j}`] = command;
    const set = Object.entries(vars)
      .map(([name, ref]) => `${name}=${ref.name === 'other' ? 'O' : '"$v"'}; export ${name}`)
      .join('; ');
    return `i=0
while [ "$i" -lt ${values.length} ]; do
  eval "v=\\"\\\${V$i}\\""
  ${set || ':'}
  ( eval "$CMD${j}" ) </dev/null 2>/dev/null
  printf '\\0'
  i=$((i + 1))
done`;
  });
  return new Promise<string[]>((resolve, reject) =>
    execFile(
      shell,
      ['-c', `${prelude}\n${blocks.join('\n')}`],
      { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 },
      (e, stdout) => (e ? reject(e) : resolve(stdout.split('\0').slice(0, -1))),
    ),
  );
}

/** Runs jobs a few at a time: a small machine. */
async function pool(jobs: Array<() => Promise<void>>, width = 4): Promise<void> {
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }),
  );
}

test('every quoting context: the value arrives byte for byte and nothing runs', async () => {
  const dir = tempDir();
  const jobs: Array<() => Promise<void>> = [];
  let checked = 0;
  for (const shell of ['/bin/bash', '/bin/sh'])
    for (const c of CASES) {
      // $'…' and <<< are bash
      if (/\$'|<<</.test(c.template) && shell === '/bin/sh') continue;
      if (c.template.includes('$${')) continue;
      jobs.push(async () => {
        const s = shellCommand(c.template);
        const outputs = await runAll(shell, [s], HOSTILE, dir);
        assert.equal(outputs.length, HOSTILE.length, `${shell} ${c.template}`);
        HOSTILE.forEach((value, i) => {
          const what = `${shell} ${JSON.stringify(c.template)} with ${JSON.stringify(value.slice(0, 40))} → ${JSON.stringify(s.command)}`;
          assert.equal(outputs[i], c.expect(value), what);
          checked++;
        });
      });
    }
  await pool(jobs);
  assert.ok(checked > 500);
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

test('places that cannot be filled safely are problems that say how to rewrite, and stay empty', async () => {
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
  await assertRefused(cases);
  // After a quoted heredoc ends, references are filled again.
  const after = shellCommand("cat <<'EOF'\nplain\nEOF\necho ${params.name}");
  assert.deepEqual(after.problems, []);
  assert.match(after.command, /echo "\$\{TRIBUTARY_V_params_name\}"$/);
});

/**
 * Each template is a problem with that message and is left inert; then it runs in real bash
 * with a value that runs code in that place if it gets there (the old rewrite ran them all).
 * The command holds no reference any more, so one value per case is enough.
 */
async function assertRefused(cases: Array<[string, RegExp, string?]>, prelude = ''): Promise<void> {
  const dir = tempDir();
  const byValue = new Map<string, ShellCommand[]>();
  for (const [template, why, value = 'a[$(touch PWNED)]'] of cases) {
    const s = shellCommand(template);
    assert.ok(s.problems.length >= 1, `not refused: ${template}`);
    for (const p of s.problems) {
      assert.match(p.message, why, template);
      assert.match(p.message, /^\$\{params\.name\}/);
    }
    assert.doesNotMatch(s.command, /params\.name|TRIBUTARY_V/, template);
    byValue.set(value, [...(byValue.get(value) ?? []), s]);
  }
  for (const [value, commands] of byValue)
    await runAll('/bin/bash', commands, [value], dir, prelude);
  assert.deepEqual(fs.readdirSync(dir), [], 'a value was executed');
}

/** Values that run code in a second parser if they reach its text. */
const SH = 'x; touch PWNED';
const PY = '"); open("PWNED","w"); print("';
const PERL = '"; system("touch PWNED"); "';
const JS = '"); require("fs").writeFileSync("PWNED", ""); ("';
const SQL = "x'; select writefile('PWNED', 'x'); --";

/** Stand-ins for commands that cannot run here: each runs its text through a second shell. */
const STAND_INS = `
ssh() { while [ "\${1#-}" != "$1" ]; do shift; done; shift; if [ $# -gt 0 ]; then bash -c "$*"; else bash; fi; }
su() { while [ $# -gt 0 ]; do if [ "$1" = -c ]; then bash -c "$2"; return; fi; shift; done; }
watch() { bash -c "$*"; }
sudo() { while [ "\${1#-}" != "$1" ]; do shift 2; done; "$@"; }
psql() { :; }
`;

test('a value handed to a second parser (sh -c, eval, ssh, interpreters, piped programs) is refused', async () => {
  const cases: Array<[string, RegExp, string]> = [
    [
      'ssh host "cat ${params.name}"',
      /remote shell.*cannot be put into a remote command.*on the input/,
      SH,
    ],
    ['ssh -p 22 host cat ${params.name}', /remote shell/, SH],
    ['bash -c "echo ${params.name}"', /bash -c 'cmd "\$1"' _ "\$\{params\.X\}"/, SH],
    ["sh -c 'echo ${params.name}'", /sh -c 'cmd "\$1"' _/, SH],
    ['bash -euc "echo ${params.name}"', /parsed again by that shell/, SH],
    ['eval "echo ${params.name}"', /eval/, SH],
    ['eval echo ${params.name}', /eval/, SH],
    ['echo ${params.name} | xargs -I{} sh -c "echo {}"', /xargs/, SH],
    ['find . -maxdepth 0 -exec sh -c "echo ${params.name}" \\;', /sh -c/, SH],
    ['sudo -u nobody bash -c "echo ${params.name}" || true', /bash -c/, SH],
    ['su -c "echo ${params.name}" nobody', /su -c/, SH],
    ['watch "echo ${params.name}"', /watch/, SH],
    ['bash <<EOF\necho ${params.name}\nEOF', /input that bash reads as its program/, SH],
    ['sh -s <<EOF\necho ${params.name}\nEOF', /input that sh reads/, SH],
    ['cat <<EOF | bash\necho ${params.name}\nEOF', /input that bash reads/, SH],
    ['echo "echo ${params.name}" | sh', /input that sh reads/, SH],
    ['bash <<< "echo ${params.name}"', /input that bash reads/, SH],
    ['cat <<< "echo ${params.name}" | bash', /input that bash reads/, SH],
    ['ssh host <<EOF\necho ${params.name}\nEOF', /remote shell/, SH],
    ['python3 - <<EOF\nprint("${params.name}")\nEOF', /input that python3 reads/, PY],
    ['python3 <<EOF\nprint("${params.name}")\nEOF', /input that python3 reads/, PY],
    ['python3 -c "print(\\"${params.name}\\")"', /python code.*sys\.argv\[1\]/, PY],
    ['python3 -c \'print("${params.name}")\'', /python code/, PY],
    ['perl -e "print \\"${params.name}\\""', /perl code/, PERL],
    ['echo | perl -ne "print \\"${params.name}\\""', /perl code/, PERL],
    ['node -e "console.log(\\"${params.name}\\")"', /node code/, JS],
    ['awk "BEGIN{print \\"${params.name}\\"}"', /awk -v v=/, PERL],
    ['awk \'BEGIN{print "${params.name}"}\'', /awk program/, PERL],
    ['psql -c "select 1 where x = \'${params.name}\'"', /psql -v v=/, SQL],
    ['sqlite3 :memory: "select \'${params.name}\'"', /binds parameters/, SQL],
  ];
  await assertRefused(cases, STAND_INS);
});

test('ordinary commands stay allowed, and the safe forms the messages give work', async () => {
  const allowed = [
    'python3 -c \'import sys; print(sys.argv[1], end="")\' "${params.name}"',
    'bash -c \'printf %s "$1"\' _ "${params.name}"',
    'sh -c \'printf %s "$1"\' _ ${params.name}',
    'printf %s "${params.name}" | xargs -0 sh -c \'printf %s "$1"\' _',
    'awk -v v="${params.name}" \'BEGIN { printf "%s", v }\'',
    'perl -e \'print $ARGV[0]\' -- "${params.name}"',
    'node -e \'process.stdout.write(process.argv[1])\' -- "${params.name}"',
    'printf %s "${params.name}" | ssh host \'cat\'',
    'bash -s -- "${params.name}" <<\'EOF\'\nprintf %s "$1"\nEOF',
    'cat <<< "${params.name}" | head -c -1',
  ];
  const dir = tempDir();
  const commands = allowed.map((t) => {
    const s = shellCommand(t);
    assert.deepEqual(s.problems, [], t);
    return s;
  });
  // Hostile values (awk -v reads backslash escapes: data, never code, so none here).
  const values = [SH, PY, PERL, JS, 'a[$(touch PWNED)]', '-rf --help'];
  const outputs = await runAll('/bin/bash', commands, values, dir, STAND_INS);
  commands.forEach((_c, j) =>
    values.forEach((v, i) => assert.equal(outputs[j * values.length + i], v, `${allowed[j]} ${v}`)),
  );
  assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false);
  // Kept as the contract's example: partition keys cannot hold a quote.
  for (const t of [
    'python3 script.py "${params.name}"',
    'psql -c "select count(*) from t where day = \'${partition}\'"',
    "sqlite3 db.sqlite \"select * from t where day = '${partition.start}' and run = '${run.id}'\"",
    'psql "$DATABASE_URL" -f load.sql -v day="${params.name}"',
    'cp ${params.name} backup/ && python3 load.py',
    'cat "${params.name}" | psql "$DATABASE_URL"',
    'echo "${params.name}" | python3 script.py',
  ])
    assert.deepEqual(shellCommand(t).problems, [], t);
});

test('bash places that read a value as a variable name or arithmetic are refused', async () => {
  const SUBSCRIPT = 'a[$(touch PWNED)]';
  const cases: Array<[string, RegExp, string]> = [
    ['[[ -v ${params.name} ]] && echo set', /variable name.*fixed name/, SUBSCRIPT],
    ['[[ -n x && -v ${params.name} ]] && echo set', /variable name/, SUBSCRIPT],
    ['test -v ${params.name}', /variable name/, SUBSCRIPT],
    ['[ -v "${params.name}" ]', /variable name/, SUBSCRIPT],
    ['printf -v ${params.name} %s hi', /variable name/, SUBSCRIPT],
    ['echo hi | read ${params.name}', /variable name/, SUBSCRIPT],
    ['read -r -a ${params.name} <<< "a b"', /variable name/, SUBSCRIPT],
    ['mapfile -t ${params.name} < /dev/null', /mapfile/, SUBSCRIPT],
    ['unset ${params.name}', /variable name/, SUBSCRIPT],
    ['declare ${params.name}=1', /variable name/, SUBSCRIPT],
    ['declare "${params.name}"', /variable name/, `${SUBSCRIPT}=1`],
    [
      'local x ${params.name}=1 2>/dev/null; f() { local "${params.name}"; }; f',
      /variable name/,
      `${SUBSCRIPT}=1`,
    ],
    ['declare -n r=${params.name}; echo "$r"', /declare -n/, SUBSCRIPT],
    ['declare -a arr="${params.name}"', /declare -n\/-a\/-A/, `([${SUBSCRIPT}]=1)`],
    ['echo $[${params.name}+1]', /\$\[…\]/, SUBSCRIPT],
    ['echo "$[${params.name}+1]"', /\$\[…\]/, SUBSCRIPT],
    ['declare -i n\nn=${params.name}', /declared integer/, SUBSCRIPT],
    ['typeset -i n; n="${params.name}"', /declared integer/, SUBSCRIPT],
    ['f() { local -i n; n+=${params.name}; }; f', /declared integer/, SUBSCRIPT],
  ];
  await assertRefused(cases);
  for (const t of [
    'export PATH="${params.name}:$PATH"',
    'declare v="${params.name}"; printf -v w %s "${params.name}"; read -r u <<< "${params.name}"',
    'test -n "${params.name}" && [[ -v HOME && -n "${params.name}" ]]',
    'declare -i n=1; m=${params.name}',
  ])
    assert.deepEqual(shellCommand(t).problems, [], t);
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
