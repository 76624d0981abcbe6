import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { CASE_EVENT_SCHEMA_VERSION } from '../../src/cases/domain/case.events';
import { startTestApp, type TestApp } from '../e2e/support/test-app';
import { ASSIGNEE, OTHER_QUEUE, clientCaseBody } from '../support/case.fixtures';
import { runExport } from '../../src/cli/export.command';
import { runHistory } from '../../src/cli/history.command';
import { runRebuildProjections } from '../../src/cli/rebuild-projections.command';
import { runState } from '../../src/cli/state.command';
import { runVerify } from '../../src/cli/verify.command';
import { AuditCliError, EXIT } from '../../src/cli/audit.errors';
import { openReadModels } from '../../src/cases/projections/read-models.database';
import { TextCapture } from './support/audit-store.fixtures';

/** Cases made through the real HTTP app, so the commands read what the pipeline writes. */
describe('audit commands on a history the service wrote', () => {
  let t: TestApp;
  let caseId: string;
  let otherCaseId: string;
  beforeAll(async () => {
    t = await startTestApp();
    caseId = (await t.http.post('/cases', clientCaseBody())).body.id;
    await t.http.post(`/cases/${caseId}/transfer`, { queue: OTHER_QUEUE });
    await t.http.post(`/cases/${caseId}/assign`, { assignee: ASSIGNEE });
    await t.http.post(`/cases/${caseId}/query`, { queryPrompt: 'Which contract?' });
    await t.http.post(`/cases/${caseId}/process`);
    await t.http.post(`/cases/${caseId}/complete`);
    otherCaseId = (await t.http.post('/cases', clientCaseBody())).body.id;
    await t.http.put(`/cases/${otherCaseId}`, { awaiting: true });
  });
  afterAll(() => t.close());

  describe('history', () => {
    it('--json is the audit trail GET /cases/{id}/audit gives operations', async () => {
      const out = new TextCapture();
      await runHistory(t.app.get(CaseEventStream), caseId, { json: true }, out);
      const api = await t.http.get(`/cases/${caseId}/audit?limit=1000`);
      expect(api.status).toBe(200);
      expect(JSON.parse(out.text)).toEqual(api.body.data);
      expect(api.body.data.map((r: { event: string }) => r.event)).toEqual([
        'CaseCreated',
        'CaseTransferred',
        'CaseAssigned',
        'CaseQueried',
        'CaseResumed',
        'CaseCompleted',
      ]);
    });

    it('prints a table with a row per event', async () => {
      const out = new TextCapture();
      await runHistory(t.app.get(CaseEventStream), caseId, {}, out);
      const [header, ...rows] = out.lines();
      expect(header).toMatch(/^\s+REV\s+TIME\s+EVENT\s+ACTOR\s+SUMMARY$/);
      expect(rows).toHaveLength(6);
      expect(rows[0]).toMatch(
        /^\s+1\s+\S+Z\s+CaseCreated\s+Olivia Operator \(USR-1000-0001\)\s+in Business Onboarding/,
      );
      expect(rows[1]).toContain('Business Onboarding (HQU-1234-1234) -> Billing (HQU-5555-6666)');
      expect(rows[3]).toContain('"Which contract?"');
    });

    it('refuses an unknown case', async () => {
      await expect(
        runHistory(t.app.get(CaseEventStream), 'CAS-0000-0000-0000', {}, new TextCapture()),
      ).rejects.toMatchObject({
        exitCode: EXIT.notFound,
        message: expect.stringContaining('No case CAS-0000-0000-0000'),
      });
    });
  });

  describe('state', () => {
    it.each([1, 3, 4, 6])(
      '--revision %i --json is GET /cases/{id}?revision=N for operations',
      async (revision) => {
        const out = new TextCapture();
        await runState(t.app.get(CaseEventStream), caseId, { revision, json: true }, out);
        const api = await t.http.get(`/cases/${caseId}?revision=${revision}`);
        expect(JSON.parse(out.text)).toEqual(api.body);
      },
    );

    it('--at picks the last revision at or before the time', async () => {
      const audit = (await t.http.get(`/cases/${caseId}/audit`)).body.data as { at: string }[];
      const out = new TextCapture();
      await runState(
        t.app.get(CaseEventStream),
        caseId,
        { at: new Date(audit[3]!.at), json: true },
        out,
      );
      expect(JSON.parse(out.text).revision).toBeGreaterThanOrEqual(4);
      const before = new Date(Date.parse(audit[0]!.at) - 1);
      await expect(
        runState(t.app.get(CaseEventStream), caseId, { at: before }, new TextCapture()),
      ).rejects.toMatchObject({
        exitCode: EXIT.notFound,
        message: expect.stringContaining('did not exist yet'),
      });
    });

    it('renders the case for a person without --json', async () => {
      const out = new TextCapture();
      await runState(t.app.get(CaseEventStream), otherCaseId, {}, out);
      expect(out.lines()).toEqual(
        expect.arrayContaining([
          `Case ${otherCaseId}  revision 2  Processing  awaiting: yes`,
          'Queue:    Business Onboarding (HQU-1234-1234, workflow HWF-1234-4568)',
          'Assignee: (none)',
        ]),
      );
    });

    it('refuses a revision beyond the last', async () => {
      const failure = runState(
        t.app.get(CaseEventStream),
        caseId,
        { revision: 7 },
        new TextCapture(),
      );
      await expect(failure).rejects.toBeInstanceOf(AuditCliError);
      await expect(failure).rejects.toMatchObject({
        exitCode: EXIT.notFound,
        message: `Case ${caseId} has no revision 7; its latest is 6.`,
      });
    });
  });

  describe('export', () => {
    it('writes every case event in global order as feed envelopes', async () => {
      const out = new TextCapture();
      const result = await runExport(
        t.app.get(CaseEventStream),
        { format: 'jsonl' },
        out,
        new TextCapture(),
      );
      const lines = out.lines().map((line) => JSON.parse(line));
      expect(result.events).toBe(8);
      expect(lines.map((e) => `${e.caseId}@${e.revision}`)).toEqual([
        ...[0, 1, 2, 3, 4, 5].map((r) => `${caseId}@${r}`),
        `${otherCaseId}@0`,
        `${otherCaseId}@1`,
      ]);
      const positions = lines.map((e) => BigInt(e.position));
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
      expect(lines[0]).toMatchObject({
        type: 'CaseCreated',
        streamId: `case-${caseId}`,
        metadata: { schemaVersion: CASE_EVENT_SCHEMA_VERSION, $correlationId: expect.any(String) },
      });
    });

    it('--after continues from a position', async () => {
      const all = new TextCapture();
      await runExport(t.app.get(CaseEventStream), { format: 'jsonl' }, all, new TextCapture());
      const positions = all.lines().map((line) => JSON.parse(line).position as string);
      const out = new TextCapture();
      await runExport(
        t.app.get(CaseEventStream),
        { format: 'jsonl', after: BigInt(positions[5]!) },
        out,
        new TextCapture(),
      );
      expect(out.lines().map((line) => JSON.parse(line).position)).toEqual(positions.slice(6));
    });

    it('writes CSV with a header row and quoted JSON columns', async () => {
      const out = new TextCapture();
      await runExport(t.app.get(CaseEventStream), { format: 'csv' }, out, new TextCapture());
      const rows = out.text.split('\r\n');
      expect(rows[0]).toBe('eventId,type,streamId,caseId,revision,position,data,metadata,created');
      expect(rows).toHaveLength(1 + 8 + 1);
      expect(rows[1]).toMatch(
        new RegExp(
          `^[0-9a-f-]{36},CaseCreated,case-${caseId},${caseId},0,\\d+,"\\{""caseId"":""${caseId}""`,
        ),
      );
    });
  });

  it('verify finds nothing wrong with what the service wrote', async () => {
    const out = new TextCapture();
    const err = new TextCapture();
    const result = await runVerify(t.app.get(CaseEventStream), {}, out, err);
    expect(result).toEqual({ exitCode: EXIT.ok, events: 8, streams: 2, anomalies: 0 });
    expect(out.text).toBe('');
    expect(err.text).toMatch(/^verify: no anomalies in 2 case streams; 8 events in/);
  });

  it('rebuild-projections rebuilds the case list from zero and switches over', async () => {
    const before = openReadModels(t.dataDir);
    const previous = before.activeGeneration();
    before.close();
    const result = await runRebuildProjections(
      t.app.get(CaseEventStream),
      t.dataDir,
      new TextCapture(),
    );
    expect(result.events).toBe(8);
    const after = openReadModels(t.dataDir);
    try {
      expect(after.activeGeneration()).toBe(result.generation);
      expect(result.generation).toBeGreaterThan(previous);
    } finally {
      after.close();
    }
    const list = await t.http.get('/cases?limit=10');
    expect(list.body.data.map((c: { id: string }) => c.id).sort()).toEqual(
      [caseId, otherCaseId].sort(),
    );
  });
});
