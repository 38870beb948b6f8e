import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, isBadRequest } from '../errors.js';
import { everything, formatLabels, matchesNothing, nothing, parseLabelSelector, selectorFromLabelSelector, selectorFromSet } from './selector.js';
import { lex } from './lexer.js';

const QNAME_ERR = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function parseError(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (e) {
    assert.ok(isBadRequest(e), `expected BadRequest for ${JSON.stringify(text)}`);
    assert.equal((e as ApiError).code, 400);
    return (e as Error).message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to fail`);
}

test('lexer: tokens as upstream', () => {
  const cases: [string, string[]][] = [
    ['', ['end']],
    ['x', ['identifier', 'end']],
    ['x in (a)', ['identifier', 'in', '(', 'identifier', ')', 'end']],
    ['x notin(a,b)', ['identifier', 'notin', '(', 'identifier', ',', 'identifier', ')', 'end']],
    ['!x', ['!', 'identifier', 'end']],
    ['x!=y', ['identifier', '!=', 'identifier', 'end']],
    ['x==y', ['identifier', '==', 'identifier', 'end']],
    ['x>1', ['identifier', '>', 'identifier', 'end']],
    ['x<1', ['identifier', '<', 'identifier', 'end']],
    ['x>=1', ['identifier', '>', '=', 'identifier', 'end']],
    ['x=!y', ['identifier', '=', '!', 'identifier', 'end']],
    [' \t\r\nx \n', ['identifier', 'end']],
  ];
  for (const [s, toks] of cases) assert.deepEqual(lex(s).map((t) => t.tok), toks, s);
});

test('parse: valid selectors and their canonical string (sorted by key, values sorted)', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['   ', ''],
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x!=a', 'x!=a'],
    ['x = a', 'x=a'],
    ['x=a,y!=b', 'x=a,y!=b'],
    ['y!=b,x=a', 'x=a,y!=b'],
    ['x=a , y=b', 'x=a,y=b'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['x in (c,b,a)', 'x in (a,b,c)'],
    ['x in (a,a)', 'x in (a)'],
    ['x in(a)', 'x in (a)'],
    ['x  in  ( a , b )', 'x in (a,b)'],
    ['x notin (a)', 'x notin (a)'],
    ['!x', '!x'],
    ['! x', '!x'],
    ['x', 'x'],
    ['x,y', 'x,y'],
    ['x=', 'x='],
    ['x=,z=', 'x=,z='],
    ['x= ,z= ', 'x=,z='],
    ['x>1', 'x>1'],
    ['x<1', 'x<1'],
    ['example.com/app=web', 'example.com/app=web'],
    ['x in (in)', 'x in (in)'],
    ['x=in', 'x=in'],
    ['in=x', 'in=x'],
    ['notin in (notin)', 'notin in (notin)'],
    ['a.b-c_d=A.b-C_9', 'a.b-c_d=A.b-C_9'],
    ['x in (,a)', 'x in (,a)'],
    ['x in (a,)', 'x in (,a)'],
    ['x in (a,,b)', 'x in (,a,b)'],
    ['environment in (production, qa),tier notin (frontend,backend),partition', 'environment in (production,qa),partition,tier notin (backend,frontend)'],
  ];
  for (const [input, want] of cases) {
    const s = parseLabelSelector(input);
    assert.equal(s.toString(), want, input);
    // round trip: the canonical form parses to the same canonical form
    assert.equal(parseLabelSelector(s.toString()).toString(), want, `round trip ${input}`);
  }
});

test('parse: requirements expose key, operator and values', () => {
  const s = parseLabelSelector('b in (y,x),a!=1,!c,d,e>5');
  assert.deepEqual(s.requirements.map((r) => [r.key, r.operator, r.values]), [
    ['a', '!=', ['1']],
    ['b', 'in', ['x', 'y']],
    ['c', '!', []],
    ['d', 'exists', []],
    ['e', 'gt', ['5']],
  ]);
  assert.equal(s.empty(), false);
  assert.equal(parseLabelSelector('').empty(), true);
});

test('matches: every operator', () => {
  const labels = { app: 'web', tier: 'frontend', n: '10' };
  const cases: [string, boolean][] = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['missing=x', false],
    ['missing=', false],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['missing in (a)', false],
    ['app notin (db)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['n>9', true],
    ['n>10', false],
    ['n<11', true],
    ['n<10', false],
    ['app>1', false],
    ['missing>1', false],
    ['missing<1', false],
  ];
  for (const [sel, want] of cases) assert.equal(parseLabelSelector(sel).matches(labels), want, sel);
  assert.equal(parseLabelSelector('a=').matches({ a: '' }), true);
  assert.equal(parseLabelSelector('a in ()').matches({ a: '' }), true);
  assert.equal(parseLabelSelector('!a').matches(undefined), true);
  assert.equal(parseLabelSelector('a').matches(undefined), false);
  assert.equal(parseLabelSelector('').matches(undefined), true);
  // inherited properties are not labels
  assert.equal(parseLabelSelector('constructor').matches({}), false);
  assert.equal(parseLabelSelector('toString').matches({}), false);
});

test('parse errors: syntax, with upstream messages', () => {
  const cases: [string, string][] = [
    ['x=a,', "found '', expected: identifier after ','"],
    [',x=a', "found ',', expected: !, identifier, or 'end of string'"],
    ['x=a,,y=b', "found ',', expected: identifier after ','"],
    ['x=a y=b', "found 'y', expected: ',' or 'end of string'"],
    ['x in', "unable to parse requirement: found '' expected: '('"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['x y', "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"],
    ['x (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['x=a=b', "found '=', expected: ',' or 'end of string'"],
    ['x==,', "found '', expected: identifier after ','"],
    ['x=(a)', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!!x', "unable to parse requirement: found '!', expected: identifier"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    [')', "found ')', expected: !, identifier, or 'end of string'"],
    ['x>a', 'unable to parse requirement: values[0]: Invalid value: "a": for \'Gt\', \'Lt\' operators, the value must be an integer'],
    ['x<-1', 'unable to parse requirement: values[0][x]: Invalid value: "-1": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'],
    ['x>99999999999999999999', 'unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for \'Gt\', \'Lt\' operators, the value must be an integer'],
  ];
  for (const [input, want] of cases) assert.equal(parseError(input), want, input);
});

test('parse errors: invalid keys and values, with the validation messages', () => {
  assert.equal(parseError('app:monolith'), `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${QNAME_ERR}`);
  assert.equal(parseError('-a=b'), `unable to parse requirement: <nil>: Invalid value: "-a": ${QNAME_ERR}`);
  assert.equal(parseError('app.kubernetes_io/name=x'),
    "unable to parse requirement: <nil>: Invalid value: \"app.kubernetes_io/name\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  assert.equal(parseError('a/b/c=d'),
    "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
  assert.equal(parseError(`${'k'.repeat(64)}=v`), `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`);
  assert.equal(parseError('/a'), 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty');
  assert.equal(parseError('a/'), `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; ${QNAME_ERR}`);
  assert.equal(parseError('x=-bad'),
    "unable to parse requirement: values[0][x]: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  const long = 'v'.repeat(64);
  assert.match(parseError(`x=${long}`), /^unable to parse requirement: values\[0\]\[x\]: Invalid value: "v+": must be no more than 63 characters$/);
  // two bad values aggregate as [a, b]
  assert.match(parseError('x in (-a,-b)'), /^unable to parse requirement: \[values\[0\]\[x\]: Invalid value: "-a": a valid label.*, values\[1\]\[x\]: Invalid value: "-b": a valid label.*\]$/);
  assert.equal(parseError('x in (a b'), "unable to parse requirement: found 'b', expected: ',' or ')'");
});

test('requiresExactMatch', () => {
  const s = parseLabelSelector('a=1,b in (2),c in (3,4),d!=5,e');
  assert.equal(s.requiresExactMatch('a'), '1');
  assert.equal(s.requiresExactMatch('b'), '2');
  assert.equal(s.requiresExactMatch('c'), undefined);
  assert.equal(s.requiresExactMatch('d'), undefined);
  assert.equal(s.requiresExactMatch('e'), undefined);
  assert.equal(s.requiresExactMatch('zzz'), undefined);
});

test('selectorFromLabelSelector: nil matches nothing, empty matches everything', () => {
  const none = selectorFromLabelSelector(undefined);
  assert.equal(none.matches({ a: 'b' }), false);
  assert.equal(none.matches({}), false);
  assert.equal(none.empty(), false);
  assert.ok(matchesNothing(none));
  assert.ok(matchesNothing(selectorFromLabelSelector(null)));
  const all = selectorFromLabelSelector({});
  assert.equal(all.matches({ a: 'b' }), true);
  assert.equal(all.matches(undefined), true);
  assert.equal(all.empty(), true);
  assert.equal(selectorFromLabelSelector({ matchLabels: {}, matchExpressions: [] }).empty(), true);
  assert.equal(everything().matches({}), true);
  assert.equal(nothing().matches({}), false);
});

test('selectorFromLabelSelector: matchLabels and matchExpressions', () => {
  const s = selectorFromLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['frontend', 'cache'] },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'team', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  });
  assert.equal(s.toString(), 'app=web,env notin (dev),!legacy,team,tier in (cache,frontend)');
  assert.equal(s.matches({ app: 'web', tier: 'cache', team: 'x' }), true);
  assert.equal(s.matches({ app: 'web', tier: 'cache', team: 'x', env: 'prod' }), true);
  assert.equal(s.matches({ app: 'web', tier: 'cache', team: 'x', env: 'dev' }), false);
  assert.equal(s.matches({ app: 'web', tier: 'cache' }), false);
  assert.equal(s.matches({ app: 'web', tier: 'db', team: 'x' }), false);
  assert.equal(s.matches({ app: 'db', tier: 'cache', team: 'x' }), false);
  assert.equal(s.matches({ app: 'web', tier: 'cache', team: 'x', legacy: '' }), false);
});

test('selectorFromLabelSelector: errors as upstream', () => {
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
    (e: unknown) => isBadRequest(e) && (e as Error).message === '"Gt" is not a valid label selector operator');
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'constructor' }] }),
    (e: unknown) => isBadRequest(e) && (e as Error).message === '"constructor" is not a valid label selector operator');
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    (e: unknown) => isBadRequest(e) && (e as Error).message === "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
    (e: unknown) => (e as Error).message === 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist');
  assert.throws(() => selectorFromLabelSelector({ matchLabels: { 'bad key': 'x' } }),
    (e: unknown) => (e as Error).message.startsWith('key: Invalid value: "bad key": name part must consist'));
  assert.throws(() => selectorFromLabelSelector({ matchLabels: { a: 'bad value' } }),
    (e: unknown) => (e as Error).message.startsWith('values[0][a]: Invalid value: "bad value": a valid label must be'));
});

test('selectorFromSet and formatLabels', () => {
  const s = selectorFromSet({ b: '2', a: '1' });
  assert.equal(s.toString(), 'a=1,b=2');
  assert.equal(s.matches({ a: '1', b: '2', c: '3' }), true);
  assert.equal(s.matches({ a: '1' }), false);
  assert.equal(selectorFromSet({}).empty(), true);
  assert.equal(selectorFromSet(undefined).matches({ x: 'y' }), true);
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
  assert.equal(formatLabels(undefined), '');
});

test('add returns a new selector and keeps the original', () => {
  const s = parseLabelSelector('b=1');
  const t = s.add({ key: 'a', operator: 'exists', values: [] });
  assert.equal(s.toString(), 'b=1');
  assert.equal(t.toString(), 'a,b=1');
});

test('parseToLabelSelector: the structured form of a selector string', async () => {
  const { parseToLabelSelector } = await import('./selector.js');
  assert.deepEqual(parseToLabelSelector('app=web,tier in (b,a),!old,team'), {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'old', operator: 'DoesNotExist' },
      { key: 'team', operator: 'Exists' },
      { key: 'tier', operator: 'In', values: ['a', 'b'] },
    ],
  });
  assert.deepEqual(parseToLabelSelector(''), { matchLabels: {}, matchExpressions: [] });
  assert.throws(() => parseToLabelSelector('a!=b'), (e: unknown) => isBadRequest(e) && (e as Error).message === '"!=" isn\'t supported in label selectors');
  assert.throws(() => parseToLabelSelector('app: nginx'), (e: unknown) => isBadRequest(e) && (e as Error).message.startsWith('couldn\'t parse the selector string "app: nginx": unable to parse requirement: <nil>: Invalid value: "app:": name part must consist'));
  // round trip through the structured form
  const s = selectorFromLabelSelector(parseToLabelSelector('x in (1,2),y=3,!z'));
  assert.equal(s.toString(), 'x in (1,2),y=3,!z');
});
