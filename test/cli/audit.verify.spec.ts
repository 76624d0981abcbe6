import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { runVerify, type VerifyResult } from '../../src/cli/verify.command';
import { EXIT } from '../../src/cli/audit.errors';
import type { Anomaly } from '../../src/cli/case-stream.verifier';
import {
  appendCaseEvents,
  appendRawEvent,
  deleteStoredEvent,
  pipelineMetadata,
  scratchStore,
  TextCapture,
  type ScratchStore,
} from './support/audit-store.fixtures';
import {
  assigned,
  awaitingChanged,
  completed,
  created,
  queried,
  resumed,
  transferred,
} from './support/case-event.fixtures';

const CLEAN = 'CAS-1000-0000-0001';
const DAMAGED = 'CAS-2000-0000-0002';

async function verify(
  s: ScratchStore,
  caseId?: string,
): Promise<{ result: VerifyResult; anomalies: Anomaly[]; lines: string[] }> {
  const json = new TextCapture();
  const result = await runVerify(
    new CaseEventStream(s.store),
    { caseId, json: true },
    json,
    new TextCapture(),
  );
  const text = new TextCapture();
  await runVerify(new CaseEventStream(s.store), { caseId }, text, new TextCapture());
  return { result, anomalies: JSON.parse(json.text).anomalies, lines: text.lines() };
}

describe('verify on damaged histories', () => {
  let s: ScratchStore;
  beforeEach(async () => {
    s = await scratchStore();
    // A clean case around the damaged one, so interleaving streams is part of every run.
    await appendCaseEvents(s.store, CLEAN, [created(CLEAN), transferred()], 'no_stream');
  });
  afterEach(() => s.dispose());

  it('exits 0 on a clean history, and reports nothing', async () => {
    await appendCaseEvents(s.store, CLEAN, [assigned(), queried(), resumed, completed]);
    const { result, anomalies, lines } = await verify(s);
    expect(result).toEqual({ exitCode: EXIT.ok, events: 6, streams: 1, anomalies: 0 });
    expect(anomalies).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('finds a missing revision', async () => {
    await appendCaseEvents(s.store, DAMAGED, [
      created(DAMAGED),
      awaitingChanged(true),
      awaitingChanged(false),
      queried(),
    ]);
    await s.reopenAfter((dataDir) => deleteStoredEvent(dataDir, DAMAGED, 1));

    const { result, anomalies, lines } = await verify(s);
    expect(result.exitCode).toBe(EXIT.anomalies);
    // The awaiting change after the gap now repeats the state the case was in: reported too.
    expect(
      anomalies.map(({ streamId, revision, storeRevision, problem }) => ({
        streamId,
        revision,
        storeRevision,
        problem,
      })),
    ).toEqual([
      {
        streamId: `case-${DAMAGED}`,
        revision: 3,
        storeRevision: '2',
        problem: 'revision 2 is missing from the stream (store revision 1 expected, 2 found)',
      },
      {
        streamId: `case-${DAMAGED}`,
        revision: 3,
        storeRevision: '2',
        problem: 'CaseAwaitingChanged to false, which it already was',
      },
    ]);
    expect(lines[0]).toMatch(
      new RegExp(
        `^case-${DAMAGED} revision 3 \\(position \\d+, CaseAwaitingChanged\\): revision 2 is missing`,
      ),
    );
  });

  it('finds an event that breaks its schema', async () => {
    await appendCaseEvents(s.store, DAMAGED, [created(DAMAGED)]);
    await appendRawEvent(s.store, DAMAGED, 'CaseTransferred', { to: { id: 'HQU-5555-6666' } });
    await appendRawEvent(
      s.store,
      DAMAGED,
      'CaseAwaitingChanged',
      { awaiting: true },
      { ...pipelineMetadata(), actor: { id: 'nobody' } },
    );
    await appendRawEvent(s.store, DAMAGED, 'CaseReopened', {});

    const { result, anomalies } = await verify(s, DAMAGED);
    expect(result).toMatchObject({ exitCode: EXIT.anomalies, events: 4, anomalies: 3 });
    expect(anomalies.map((a) => [a.revision, a.problem])).toEqual([
      [2, expect.stringMatching(/^breaks its schema: data: must have required property 'from'/)],
      [3, expect.stringMatching(/^breaks its schema: .*metadata\/actor/)],
      [4, 'unknown event type "CaseReopened"'],
    ]);
  });

  it('finds metadata laid out as the pipeline writes it that still breaks its schema, and reports it in full', async () => {
    // The shortcut past the metadata schema must let none of these through, and must not
    // change how they are reported: each line is the schema's own.
    await appendCaseEvents(s.store, DAMAGED, [created(DAMAGED)]);
    const damaged = [
      { occurredAt: '2026-02-30T10:00:00.000Z' },
      { $correlationId: 'c'.repeat(129) },
      { actor: { ...pipelineMetadata().actor, accountType: 'partner' } },
      { idempotencyKey: 'k-1' },
    ];
    for (const [i, change] of damaged.entries()) {
      const metadata = { ...pipelineMetadata(), ...change };
      await appendRawEvent(
        s.store,
        DAMAGED,
        'CaseAwaitingChanged',
        { awaiting: i % 2 === 0 },
        metadata,
      );
    }

    const { result, anomalies } = await verify(s, DAMAGED);
    expect(result).toMatchObject({ exitCode: EXIT.anomalies, events: 5, anomalies: 4 });
    expect(anomalies.map((a) => [a.revision, a.problem])).toEqual([
      [2, 'breaks its schema: metadata/occurredAt: must match format "date-time"'],
      [3, 'breaks its schema: metadata/$correlationId: must NOT have more than 128 characters'],
      [
        4,
        'breaks its schema: metadata/actor/accountType: must be equal to one of the allowed values',
      ],
      [
        5,
        'breaks its schema: metadata: must have property requestHash when property idempotencyKey is present',
      ],
    ]);
  });

  it('finds events that break a rule: resumed while Processing, anything after CaseCompleted, created twice', async () => {
    await appendCaseEvents(s.store, DAMAGED, [created(DAMAGED), resumed]);
    await appendCaseEvents(s.store, CLEAN, [completed]);
    await appendCaseEvents(s.store, DAMAGED, [completed, queried(), created(DAMAGED)]);
    await appendCaseEvents(s.store, CLEAN, [awaitingChanged(true)]);

    const { result, anomalies } = await verify(s);
    expect(result).toEqual({ exitCode: EXIT.anomalies, events: 9, streams: 2, anomalies: 4 });
    expect(anomalies.map((a) => [a.caseId, a.revision, a.type, a.problem])).toEqual([
      [
        DAMAGED,
        2,
        'CaseResumed',
        'CaseResumed on a Processing case; only a Querying case can be processed',
      ],
      [
        DAMAGED,
        4,
        'CaseQueried',
        'CaseQueried after CaseCompleted; a completed case accepts no commands',
      ],
      [DAMAGED, 5, 'CaseCreated', 'CaseCreated on a case that already exists (Completed)'],
      [
        CLEAN,
        4,
        'CaseAwaitingChanged',
        'CaseAwaitingChanged after CaseCompleted; a completed case accepts no commands',
      ],
    ]);
  });

  it('finds a stream that does not start with CaseCreated', async () => {
    await appendCaseEvents(s.store, DAMAGED, [queried(), resumed]);
    const { anomalies } = await verify(s);
    expect(anomalies.map((a) => [a.caseId, a.revision, a.problem])).toEqual([
      [DAMAGED, 1, 'CaseQueried before CaseCreated'],
    ]);
  });

  it('--case refuses a case with no events', async () => {
    await expect(
      runVerify(
        new CaseEventStream(s.store),
        { caseId: DAMAGED },
        new TextCapture(),
        new TextCapture(),
      ),
    ).rejects.toMatchObject({
      exitCode: EXIT.notFound,
    });
  });
});
