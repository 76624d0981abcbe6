import { isoTimestamp, jsonLine, jsonString } from '../../src/cli/export.formats';
import type { SerializedEvent } from '../../src/event-store/event-store.port';
import { seededRandom } from '../support/seeded-random';

/**
 * The export's line builders take shortcuts past `JSON.stringify` and `toISOString`; each must
 * write exactly what those would, on any input.
 */
describe('export line builders', () => {
  describe('isoTimestamp', () => {
    it('given times in and across seconds, in any order, then it writes what toISOString writes', () => {
      const base = Date.parse('2026-03-01T23:59:58.000Z');
      const offsets = [0, 9, 10, 99, 100, 999, 1000, 1001, 1999, 2000, 5, -1, -1000, 86_400_000, 3];
      for (const offset of offsets) {
        const date = new Date(base + offset);
        expect(isoTimestamp(date)).toBe(date.toISOString());
      }
    });

    it('given thousands of random times, then it writes what toISOString writes', () => {
      const random = seededRandom(7);
      let ms = Date.parse('2020-01-01T00:00:00.000Z');
      for (let i = 0; i < 20_000; i += 1) {
        // Mostly a few ms apart (the cached second is reused), sometimes far, sometimes back.
        const step =
          random() < 0.9 ? Math.floor(random() * 50) : Math.floor((random() - 0.5) * 1e10);
        ms += step;
        const date = new Date(ms);
        expect(isoTimestamp(date)).toBe(date.toISOString());
      }
    });

    it.each([
      ['the epoch', 0],
      ['the last millisecond of year 9999', Date.UTC(10000, 0, 1) - 1],
      ['year 10000', Date.UTC(10000, 0, 1)],
      ['before 1970', Date.UTC(1969, 11, 31, 23, 59, 59, 999)],
      ['year 0', Date.parse('0000-01-01T00:00:00.000Z')],
      ['a negative year', -62_198_755_200_001],
    ])('given %s, then it writes what toISOString writes', (_name, ms) => {
      const date = new Date(ms);
      expect(isoTimestamp(date)).toBe(date.toISOString());
    });

    it('given an invalid date, then it throws as toISOString does', () => {
      expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
    });
  });

  describe('jsonString', () => {
    it.each([
      '',
      'b2c3d4e5-0000-4000-8000-000000000001',
      'case-CAS-1000-0000-0001',
      'a "quoted" id',
      'back\\slash',
      'line\nbreak\ttab\u0001\u001f',
      'del \u007f and \u2028 \u2029',
      'ünïcödé ✓',
      'pair 😀',
      'lone \ud800 high',
      'lone \udc00 low',
      'reversed \udc00\ud800',
    ])('given %j, then it writes what JSON.stringify writes', (text) => {
      expect(jsonString(text)).toBe(JSON.stringify(text));
    });

    it('given thousands of random strings, then it writes what JSON.stringify writes', () => {
      const random = seededRandom(11);
      const pool = [
        'a',
        'Z',
        '0',
        '-',
        '"',
        '\\',
        '\n',
        '\u0000',
        '\u007f',
        'é',
        '😀',
        '\ud800',
        '\udfff',
      ];
      for (let i = 0; i < 20_000; i += 1) {
        const length = Math.floor(random() * 8);
        let text = '';
        for (let c = 0; c < length; c += 1) text += pool[Math.floor(random() * pool.length)];
        expect(jsonString(text)).toBe(JSON.stringify(text));
      }
    });
  });

  describe('jsonLine', () => {
    it.each([
      ['a case stream', 'case-CAS-1000-0000-0001', 'b2c3d4e5-0000-4000-8000-000000000001'],
      ['a case id that needs escaping', 'case-CAS-"1"\n', 'id'],
      ['a stream without the case prefix', 'other-"x"', 'id "quoted"'],
      ['a stream id shorter than the prefix', 'ca"', 'id'],
    ])('given %s, then it writes the envelope JSON.stringify would', (_name, streamId, id) => {
      const stored: SerializedEvent = {
        id,
        type: 'CaseQueried',
        streamId,
        revision: 4n,
        position: 123_456_789n,
        created: new Date('2026-11-26T09:00:00.042Z'),
        data: '{"queryPrompt":"Why?"}',
        metadata: '{"schemaVersion":3}',
      };
      const line = jsonLine(stored);
      expect(line).toBe(
        `${JSON.stringify({
          eventId: id,
          type: 'CaseQueried',
          streamId,
          caseId: streamId.slice('case-'.length),
          revision: '4',
          position: '123456789',
          data: { queryPrompt: 'Why?' },
          metadata: { schemaVersion: 3 },
          created: '2026-11-26T09:00:00.042Z',
        })}\n`,
      );
    });
  });
});
