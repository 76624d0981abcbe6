import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonCaseSnapshotCodec } from '../../../src/cases/application/case-snapshot.codec';
import { sealedCaseSnapshotCodec } from '../../../src/cases/application/case-snapshot.sealing';
import { emptyCaseFold, foldCase, type CaseFold } from '../../../src/cases/application/case.fold';
import type { CaseSnapshotCodec } from '../../../src/cases/application/case-snapshot.codec';
import { DEV_PRINCIPALS } from '../../../src/identity/dev-tokens';
import { PersonalDataVault } from '../../../src/personal-data/personal-data.vault';
import { openKeyStore } from '../../../src/personal-data/sqlite.key-store';
import { entry } from './case-stream.fixtures';

const CASE = 'CAS-1000-0000-0042';
const REPORTER = 'USR-6375-2500';
const OPERATOR = DEV_PRINCIPALS.operations;

describe('sealed case snapshots', () => {
  let dir: string;
  let vault: PersonalDataVault;
  let codec: CaseSnapshotCodec;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sealed-snapshot-'));
    vault = await PersonalDataVault.open(openKeyStore(dir), randomBytes(32));
    codec = sealedCaseSnapshotCodec(jsonCaseSnapshotCodec, vault);
  });
  /** The snapshot's text, for a fold the codec must snapshot. */
  const encoded = async (fold: CaseFold): Promise<string> => {
    const text = await codec.encode(fold);
    if (text === undefined) throw new Error('The codec made no snapshot of the fold');
    return text;
  };
  afterEach(async () => {
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('give back the fold they were given', async () => {
    const fold = aFold();

    await expect(codec.decode(await encoded(fold), CASE)).resolves.toEqual(fold);
  });

  it('hold no name of anyone in the fold, only ids', async () => {
    const text = await encoded(aFold());

    for (const name of ['Jane Doe', OPERATOR.name, OPERATOR.accountName]) {
      expect(text).not.toContain(name);
    }
    expect(text).toContain(REPORTER);
  });

  it.each([
    ['the reporter', REPORTER],
    ['an actor in the audit', OPERATOR.id],
  ])('no longer open once %s is erased', async (_who, subjectId) => {
    const text = await encoded(aFold());

    await vault.forget(subjectId, '2026-11-26T08:00:00.000Z');

    await expect(codec.decode(text, CASE)).resolves.toBeUndefined();
  });

  it('make no new key for a person who already reads as erased', async () => {
    await vault.forget(REPORTER, '2026-11-26T08:00:00.000Z');
    const fold = aFold();
    const erased = {
      ...fold,
      state: { ...fold.state, reporter: { id: REPORTER, name: '[erased]' } },
    } as CaseFold;

    const text = await encoded(erased);

    const keys = openKeyStore(dir);
    try {
      expect([...(await keys.currentKeys([REPORTER])).keys()]).toEqual([]);
    } finally {
      await keys.close();
    }
    expect(JSON.parse(text).recipients).not.toHaveProperty(REPORTER);
    await expect(codec.decode(text, CASE)).resolves.toEqual(erased);
  });

  it('are not made of a fold in which everyone already reads as erased', async () => {
    const fold = aFold();
    const erased = { id: REPORTER, name: '[erased]' };
    const nobody = {
      ...fold,
      state: { ...fold.state, reporter: erased },
      audits: Object.fromEntries(
        Object.entries(fold.audits).map(([audience, audit]) => [
          audience,
          Object.fromEntries(
            Object.entries(audit).map(([step, entry]) => [
              step,
              entry && { ...entry, by: { ...entry.by, name: '[erased]' } },
            ]),
          ),
        ]),
      ),
    } as CaseFold;

    await expect(codec.encode(nobody)).resolves.toBeUndefined();
  });

  it.each([
    ['another case', (text: string) => text, 'CAS-1000-0000-0043'],
    ['a changed body', (text: string) => flipLastCharOf('body', text), CASE],
    ['a changed recipient', (text: string) => flipLastCharOf(REPORTER, text), CASE],
    ['a changed revision', (text: string) => text.replace('"revision":3', '"revision":2'), CASE],
    ['an unsealed snapshot', () => 'plain', CASE],
  ])('answer undefined for %s', async (_what, change, caseId) => {
    const text = change(await encoded(aFold()));

    await expect(codec.decode(text, caseId)).resolves.toBeUndefined();
  });
});

function aFold(): CaseFold {
  const history = [entry(CASE, 0, 'key-a'), entry(CASE, 1), entry(CASE, 2)];
  return { ...foldCase(emptyCaseFold(CASE), history), position: 7n };
}

/** The snapshot with the last base64url character of the member `name` changed. */
function flipLastCharOf(name: string, text: string): string {
  const json = JSON.parse(text) as Record<string, unknown>;
  const edit = (value: string) =>
    value.slice(0, -2) + (value.at(-2) === 'A' ? 'B' : 'A') + value.at(-1);
  if (name === 'body') json.body = edit(json.body as string);
  else {
    const recipients = json.recipients as Record<string, string>;
    recipients[name] = edit(recipients[name]!);
  }
  return JSON.stringify(json);
}
