import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCriLog, parseLogTime } from './cri-log.js';

test('CRI log lines: full and partial lines, both streams, an incomplete tail is left', () => {
  const text = '2024-01-02T03:04:05.123456789Z stdout F hello\n'
    + '2024-01-02T03:04:06.000000000Z stderr P part one \n'
    + '2024-01-02T03:04:06.100000000Z stderr F and two\n'
    + '2024-01-02T03:04:07.000000000Z stdout F inco';
  const r = parseCriLog(Buffer.from(text));
  assert.deepEqual(r.lines.map((l) => [l.stream, l.content]), [['stdout', 'hello\n'], ['stderr', 'part one and two\n']]);
  assert.equal(r.lines[0]!.timeMs, Date.parse('2024-01-02T03:04:05.123Z'));
  assert.equal(r.consumed, text.lastIndexOf('\n') + 1);
});

test('log times parse with offsets and without fractions', () => {
  assert.equal(parseLogTime('2024-01-02T03:04:05Z'), Date.parse('2024-01-02T03:04:05Z'));
  assert.equal(parseLogTime('2024-01-02T05:04:05.5+02:00'), Date.parse('2024-01-02T03:04:05.500Z'));
  assert.ok(Number.isNaN(parseLogTime('nope')));
});
