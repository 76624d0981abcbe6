import { jsonCaseSnapshotCodec as codec } from '../../../src/cases/application/case-snapshot.codec';
import { emptyCaseFold, foldCase, type CaseFold } from '../../../src/cases/application/case.fold';
import { entry } from './case-stream.fixtures';

const CASE = 'CAS-1000-0000-0042';

describe('the case snapshot codec', () => {
  it('gives back the fold it was given: state, audits, a position beyond 2^53, keyed requests', async () => {
    const fold = aFold();

    const decoded = await codec.decode(await codec.encode(fold), CASE);

    expect(decoded).toEqual(fold);
    expect(decoded!.position).toBe(2n ** 60n + 3n);
    expect(decoded!.requests).toBeInstanceOf(Map);
    expect([...decoded!.requests.values()]).toEqual([...fold.requests.values()]);
  });

  it('keeps a request stored without a hash as one without a hash', async () => {
    const fold = {
      ...aFold(),
      requests: new Map([['USR-1\nk', { requestHash: undefined, lastRevision: 2 }]]),
    };

    const decoded = await codec.decode(await codec.encode(fold), CASE);

    expect(decoded!.requests.get('USR-1\nk')).toEqual({ requestHash: undefined, lastRevision: 2 });
  });

  it('answers undefined for the snapshot of another case', async () => {
    await expect(
      codec.decode(await codec.encode(aFold()), 'CAS-1000-0000-0043'),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['text that is not JSON', () => '{"caseId":'],
    ['a JSON value that is not an object', () => '[]'],
    ['a revision that is not a positive whole number', () => edit({ revision: 0 })],
    ['a position that is not a decimal string', () => edit({ position: 12 })],
    ['a case that does not exist', () => edit({ state: { status: 'None' } })],
    ['an audience without its audit object', () => edit({ audits: { operations: {} } })],
    ['requests that are not entry pairs', () => edit({ requests: [['k']] })],
    [
      'a request with a revision that is not a number',
      () => edit({ requests: [['k', { lastRevision: '2' }]] }),
    ],
    [
      'a request hash that is not a string',
      () => edit({ requests: [['k', { requestHash: 1, lastRevision: 2 }]] }),
    ],
  ])('answers undefined for %s', async (_what, text) => {
    await expect(codec.decode(await text(), CASE)).resolves.toBeUndefined();
  });
});

function aFold(): CaseFold {
  const history = [entry(CASE, 0, 'key-a'), entry(CASE, 1), entry(CASE, 2, 'key-b')];
  const fold = foldCase(emptyCaseFold(CASE), history);
  return { ...fold, position: 2n ** 60n + 3n };
}

/** The encoded snapshot of {@link aFold} with some members replaced. */
async function edit(changes: Record<string, unknown>): Promise<string> {
  return JSON.stringify({ ...JSON.parse(await codec.encode(aFold())), ...changes });
}
