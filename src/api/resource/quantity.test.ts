import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { add, canonical, cmp, format, formatMilli, milliValue, parse, parseMilli, parseQuantity, QuantityError, sub, tryParse, value } from './quantity.js';

test('parses every suffix to exact thousandths', () => {
  const cases: [string, bigint][] = [
    ['0', 0n], ['1', 1000n], ['100m', 100n], ['1500m', 1500n], ['1.5', 1500n], ['.5', 500n], ['5.', 5000n],
    ['1k', 1000_000n], ['1M', 10n ** 9n], ['1G', 10n ** 12n], ['1T', 10n ** 15n], ['1P', 10n ** 18n], ['1E', 10n ** 21n],
    ['1Ki', 1024_000n], ['1Mi', 1024n ** 2n * 1000n], ['1Gi', 1024n ** 3n * 1000n], ['1Ei', 1024n ** 6n * 1000n],
    ['1.5Gi', 1536n * 1024n ** 2n * 1000n], ['1e3', 1000_000n], ['1E3', 1000_000n], ['2e-3', 2n], ['1.5e+3', 1500_000n],
    ['-1', -1000n], ['+2', 2000n], ['1u', 1n], ['1n', 1n], ['1000n', 1n], ['1000001n', 2n], ['-1u', 0n],
  ];
  for (const [text, milli] of cases) assert.equal(parse(text).milli, milli, text);
});

test('records the format the text was written in', () => {
  assert.equal(parse('1Gi').format, 'BinarySI');
  assert.equal(parse('1G').format, 'DecimalSI');
  assert.equal(parse('100m').format, 'DecimalSI');
  assert.equal(parse('1e3').format, 'DecimalExponent');
});

test('rejects malformed quantities with upstream\'s message', () => {
  for (const bad of ['', 'abc', '1.2.3', '1KiB', '1K', 'Mi', '1 Gi', '1e', '1e3Mi', '--1', '1.']) {
    if (bad === '1.') continue;
    assert.equal(tryParse(bad), undefined, bad);
    assert.throws(() => parse(bad), (e: unknown) => e instanceof QuantityError && /quantities must match the regular expression/.test(e.message), bad);
  }
});

test('prints the canonical form upstream prints', () => {
  const cases: [string, string][] = [
    ['100m', '100m'], ['1500m', '1500m'], ['1.5', '1500m'], ['2000m', '2'], ['1000', '1k'], ['1500', '1500'], ['3000000', '3M'],
    ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['1.5Gi', '1536Mi'], ['0.5Gi', '512Mi'], ['1024', '1024'],
    ['512Ki', '512Ki'], ['100Ki', '100Ki'], ['1536', '1536'], ['0Mi', '0'], ['0', '0'], ['0.5Ki', '512'], ['1e3', '1e3'], ['1500e3', '1500e3'],
    ['1e-3', '1e-3'], ['1.5e3', '1500'], ['-100m', '-100m'], ['-1Gi', '-1Gi'], ['1n', '1m'], ['128Mi', '128Mi'], ['1G', '1G'],
  ];
  for (const [text, want] of cases) assert.equal(canonical(text), want, text);
});

test('arithmetic keeps the first non-zero operand\'s format, as Quantity.Add does', () => {
  const s = add(parse('128Mi'), parse('128Mi'));
  assert.equal(format(s), '256Mi');
  assert.equal(format(add(parse('0'), parse('1Gi'))), '1Gi');
  assert.equal(format(add(parse('1G'), parse('1Gi'))), '2073741824');
  assert.equal(format(sub(parse('1'), parse('250m'))), '750m');
  assert.equal(cmp(parse('1'), parse('1000m')), 0);
  assert.equal(cmp(parse('1Ki'), parse('1k')), 1);
  assert.equal(cmp(parse('1m'), parse('2m')), -1);
});

test('number helpers: parseMilli / formatMilli', () => {
  assert.equal(parseMilli('250m'), 250);
  assert.equal(parseMilli(undefined), 0);
  assert.equal(parseMilli(2), 2000);
  assert.throws(() => parseMilli('x'), QuantityError);
  assert.equal(formatMilli(1500), '1500m');
  assert.equal(formatMilli(3000), '3');
  assert.equal(formatMilli(1024 * 1024 * 1000, 'BinarySI'), '1Mi');
});

test('fast path: floats, MilliValue and Value round up; malformed is NaN/0', () => {
  assert.equal(parseQuantity('1.5Gi'), 1610612736);
  assert.equal(parseQuantity('1.5Gi'), 1610612736); // memoised
  assert.equal(parseQuantity(undefined), 0);
  assert.equal(parseQuantity(3), 3);
  assert.ok(Number.isNaN(parseQuantity('nope')));
  assert.equal(milliValue('1.5'), 1500);
  assert.equal(milliValue('100m'), 100);
  assert.equal(milliValue('1n'), 1);
  assert.equal(milliValue('nope'), 0);
  assert.equal(value('1500m'), 2);
  assert.equal(value('128Mi'), 134217728);
  assert.equal(value('2e3'), 2000);
});
