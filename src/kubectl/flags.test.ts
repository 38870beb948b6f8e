import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlagError, FlagSet, parseDuration } from './flags.js';
import { GLOBAL_FLAGS } from './globals.js';

function set() {
  return new FlagSet(GLOBAL_FLAGS).addAll([
    { name: 'output', short: 'o', kind: 'string', usage: '' },
    { name: 'all-namespaces', short: 'A', kind: 'bool', usage: '' },
    { name: 'stdin', short: 'i', kind: 'bool', usage: '' },
    { name: 'tty', short: 't', kind: 'bool', usage: '' },
    { name: 'filename', short: 'f', kind: 'stringSlice', usage: '' },
    { name: 'label-columns', short: 'L', kind: 'stringSlice', usage: '' },
    { name: 'env', kind: 'stringArray', usage: '' },
    { name: 'chunk-size', kind: 'int', default: 500, usage: '' },
  ]);
}

test('value forms: --f=v, --f v, -n v, -nv, -n=v, -ov', () => {
  for (const args of [['--namespace=kube'], ['--namespace', 'kube'], ['-n', 'kube'], ['-nkube'], ['-n=kube']]) {
    assert.equal(set().parse(args).string('namespace'), 'kube', args.join(' '));
  }
  assert.equal(set().parse(['-oyaml']).string('output'), 'yaml');
  assert.equal(set().parse(['-o=yaml']).string('output'), 'yaml');
});

test('booleans: bare, =false, combined shorthands; a bare boolean never eats the next word', () => {
  const p = set().parse(['-it', 'pod', '--all-namespaces', 'x', '-A=false']);
  assert.equal(p.bool('stdin'), true);
  assert.equal(p.bool('tty'), true);
  assert.equal(p.bool('all-namespaces'), false);
  assert.deepEqual(p.positionals, ['pod', 'x']);
  assert.equal(set().parse(['-itnfoo']).string('namespace'), 'foo');
});

test('repeated and comma-separated lists; string arrays keep commas', () => {
  const p = set().parse(['-f', 'a.yaml', '-f', 'b.yaml,c.yaml', '-L', 'app', '-Ltier,zone', '--env', 'A=1,2', '--env=B=3']);
  assert.deepEqual(p.strings('filename'), ['a.yaml', 'b.yaml', 'c.yaml']);
  assert.deepEqual(p.strings('label-columns'), ['app', 'tier', 'zone']);
  assert.deepEqual(p.strings('env'), ['A=1,2', 'B=3']);
});

test('-- ends flags and its position is kept', () => {
  const p = set().parse(['pod', '-n', 'x', '--', 'sh', '-c', '--namespace']);
  assert.deepEqual(p.positionals, ['pod', 'sh', '-c', '--namespace']);
  assert.equal(p.argsLenAtDash, 1);
  assert.equal(p.string('namespace'), 'x');
});

test('defaults and isSet', () => {
  const p = set().parse([]);
  assert.equal(p.int('chunk-size'), 500);
  assert.equal(p.isSet('chunk-size'), false);
  assert.equal(set().parse(['--chunk-size', '0']).int('chunk-size'), 0);
  assert.equal(set().parse(['-v=6']).int('v'), 6);
});

test('pflag error messages', () => {
  const cases: [string[], string][] = [
    [['--foo'], 'unknown flag: --foo'],
    [['--foo=1'], 'unknown flag: --foo'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['-Ax'], "unknown shorthand flag: 'x' in -x"],
    [['--namespace'], 'flag needs an argument: --namespace'],
    [['-n'], "flag needs an argument: 'n' in -n"],
    [['--all-namespaces=x'], 'invalid argument "x" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "x": invalid syntax'],
    [['--chunk-size=x'], 'invalid argument "x" for "--chunk-size" flag: strconv.ParseInt: parsing "x": invalid syntax'],
    [['--v=x'], 'invalid argument "x" for "-v, --v" flag: strconv.ParseInt: parsing "x": invalid syntax'],
  ];
  for (const [args, msg] of cases) assert.throws(() => set().parse(args), (e: unknown) => e instanceof FlagError && e.message === msg, args.join(' '));
});

test('Go durations', () => {
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('10'), undefined);
});

test('help block in kubectl layout', () => {
  const text = new FlagSet([{ name: 'all-namespaces', short: 'A', kind: 'bool', usage: 'All.' }, { name: 'chunk-size', kind: 'int', default: 500, usage: 'Chunk.' },
    { name: 'field-selector', kind: 'string', usage: 'Sel.' }, { name: 'filename', short: 'f', kind: 'stringSlice', usage: 'Files.' }]).helpBlock();
  assert.equal(text, "    -A, --all-namespaces=false:\n\tAll.\n\n    --chunk-size=500:\n\tChunk.\n\n    --field-selector='':\n\tSel.\n\n    -f, --filename=[]:\n\tFiles.\n");
});
