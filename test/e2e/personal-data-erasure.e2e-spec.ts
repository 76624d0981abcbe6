import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { runExport } from '../../src/cli/export.command';
import { runHistory } from '../../src/cli/history.command';
import { runState } from '../../src/cli/state.command';
import { runVerify } from '../../src/cli/verify.command';
import { BASE_PATH as BASE } from '../../src/common/api-base-path';
import { SseConnection } from '../feed/sse-client';
import { TextCapture } from '../cli/support/audit-store.fixtures';
import { CLIENT_ACCOUNT, QUEUE } from '../support/case.fixtures';
import { runAuditCli } from '../../src/cli/audit.program';
import { EXIT } from '../../src/cli/audit.errors';
import { E2E_STORE, onStore, storeEnv } from './support/e2e-store';
import { projectionCaughtUp } from './support/projection';
import { startTestApp, type TestApp } from './support/test-app';

/** The person erased: reporter of one case, assignee of the other. */
const ERIN = {
  id: 'USR-7100-0001',
  name: 'Erin Erasable',
  email: 'erin.erasable@example.com',
  firstName: 'Erinna',
  lastName: 'Erasablova',
};
/** The person kept: everything of theirs must stay readable. */
const BOB = {
  id: 'USR-7100-0002',
  name: 'Bob Keeper',
  email: 'bob.keeper@example.com',
  firstName: 'Bobby',
  lastName: 'Keeperson',
};
const ERIN_TEXT = 'Erin typed this opening message';
const ERIN_SECRETS = [ERIN.name, ERIN.email, ERIN.firstName, ERIN.lastName, ERIN_TEXT];
const BOB_SECRETS = [BOB.name, BOB.email, BOB.firstName, BOB.lastName];

const assigneeOf = (p: typeof ERIN) => ({
  id: p.id,
  email: p.email,
  firstName: p.firstName,
  lastName: p.lastName,
});

describe(onStore('forgetting a person (crypto-shredding)'), () => {
  let t: TestApp;
  let erinsCase: string;
  let bobsCase: string;

  beforeAll(async () => {
    t = await startTestApp();
    const create = (reporter: typeof ERIN, assignee: typeof ERIN, message: string) =>
      t.http.post('/cases', {
        queue: QUEUE,
        account: CLIENT_ACCOUNT,
        reporter: { id: reporter.id, name: reporter.name },
        assignee: assigneeOf(assignee),
        chat: { lastMessage: { content: message } },
        parameters: [{ id: 'PAR-1000-0001', name: 'Contact', value: `${reporter.email}` }],
      });
    const made = await create(ERIN, BOB, ERIN_TEXT);
    if (made.status !== 201) throw new Error(made.text);
    erinsCase = made.body.id;
    bobsCase = (await create(BOB, ERIN, 'Bob typed this')).body.id;
    await t.http.post(`/cases/${erinsCase}/query`, { queryPrompt: `Dear ${ERIN.name}, which?` });
    await t.http.post(`/cases/${bobsCase}/assign`, { assignee: assigneeOf(BOB) });
    await projectionCaughtUp(t);
  });
  afterAll(() => t.close());

  it('stores personal fields sealed: no name or email in the events as stored', async () => {
    const events = [...(await t.storedEvents(erinsCase)), ...(await t.storedEvents(bobsCase))];
    const stored = JSON.stringify(events.map(({ data, metadata }) => ({ data, metadata })));
    for (const secret of [...ERIN_SECRETS, ...BOB_SECRETS]) expect(stored).not.toContain(secret);
    expect(stored).toContain('"pii:1:');
    // Before erasure both people read in clear.
    const read = await t.http.get(`/cases/${erinsCase}`);
    expect(read.body.reporter).toEqual({ id: ERIN.id, name: ERIN.name });
  });

  it('refuses bad requests and changes nothing', async () => {
    const before = await allEventCount(t);
    const client = await t.http.post(
      '/personal-data/erasures',
      { identity: { id: ERIN.id } },
      { as: 'client' },
    );
    expect(client.status).toBe(403);
    const vendor = await t.http.post(
      '/personal-data/erasures',
      { identity: { id: ERIN.id } },
      { as: 'vendor' },
    );
    expect(vendor.status).toBe(403);
    for (const body of [{ identity: { id: 'erin' } }, { identity: {} }, {}, { id: ERIN.id }]) {
      const bad = await t.http.post('/personal-data/erasures', body);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await allEventCount(t)).toBe(before);
    expect((await t.http.get(`/cases/${erinsCase}`)).body.reporter.name).toBe(ERIN.name);
  });

  it('answers 202 NothingToErase for an id it never saw, appending nothing', async () => {
    const before = await allEventCount(t);
    const unknown = await t.http.post('/personal-data/erasures', {
      identity: { id: 'USR-7999-0009' },
    });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual({
      identity: { id: 'USR-7999-0009' },
      status: 'NothingToErase',
      erasedAt: null,
    });
    expect(await allEventCount(t)).toBe(before);
  });

  describe('after erasing one person', () => {
    let first: any;
    beforeAll(async () => {
      first = await t.http.post('/personal-data/erasures', { identity: { id: ERIN.id } });
      await projectionCaughtUp(t);
    });

    it('answers 202 with the erasure record and records PersonalDataErased in its own stream', async () => {
      expect(first.status).toBe(202);
      expect(first.body).toEqual({
        identity: { id: ERIN.id },
        status: 'Erased',
        erasedAt: expect.any(String),
      });
      const recorded = [];
      for await (const e of t.store.readStream(`personal-data-${ERIN.id}`)) recorded.push(e);
      expect(recorded.map((e) => e.type)).toEqual(['PersonalDataErased']);
      expect(recorded[0]!.data).toMatchObject({ identity: { id: ERIN.id } });
    });

    it('is idempotent: the same record again, nothing appended', async () => {
      const before = await allEventCount(t);
      const again = await t.http.post('/personal-data/erasures', { identity: { id: ERIN.id } });
      expect(again.status).toBe(202);
      expect(again.body).toEqual(first.body);
      expect(await allEventCount(t)).toBe(before);
    });

    it('shows the person as erased in every read, and the other person intact', async () => {
      const erins = (await t.http.get(`/cases/${erinsCase}`)).body;
      expect(erins.reporter).toEqual({ id: ERIN.id, name: '[erased]' });
      expect(erins.assignee).toEqual(assigneeOf(BOB));
      const bobs = (await t.http.get(`/cases/${bobsCase}`)).body;
      expect(bobs.reporter).toEqual({ id: BOB.id, name: BOB.name });
      const atOne = (await t.http.get(`/cases/${bobsCase}?revision=1`)).body;
      expect(atOne.assignee).toEqual({ id: ERIN.id, name: '[erased]' });
      const trail = (await t.http.get(`/cases/${erinsCase}/audit`)).body.data;
      expect(trail[0].details.openingMessage).toBe('[erased]');
      expect(trail[1].details.queryPrompt).toBe('[erased]');
      expect(trail[0].details.parameters[0].value).toBe('[erased]');
      const bobsTrail = (await t.http.get(`/cases/${bobsCase}/audit`)).body.data;
      expect(bobsTrail[0].details.openingMessage).toBe('Bob typed this');
      expect(bobsTrail[1].details.previousAssignee).toEqual({ id: ERIN.id, name: '[erased]' });
    });

    it('leaves no byte of the person in any API answer, CLI output or the feed', async () => {
      const answers = await everyAnswer();
      for (const secret of ERIN_SECRETS) expect(answers).not.toContain(secret);
      for (const secret of [BOB.name, BOB.email]) expect(answers).toContain(secret);
      expect(answers).toContain('[erased]');
    });

    it('leaves no byte of the person anywhere in DATA_DIR (events, read models, keys)', async () => {
      const hits = filesContaining(t.dataDir, ERIN_SECRETS);
      expect(hits).toEqual([]);
      // The search can see clear text: the read models keep the other person's name.
      expect(filesContaining(t.dataDir, [BOB.name])).not.toEqual([]);
      if (E2E_STORE === 'esdb') {
        const all = [];
        for await (const e of t.store.readAll()) all.push({ data: e.data, metadata: e.metadata });
        const text = JSON.stringify(all);
        for (const secret of ERIN_SECRETS) expect(text).not.toContain(secret);
      }
    });

    it('keeps verify green: an erased field is not a broken event', async () => {
      const out = new TextCapture();
      const err = new TextCapture();
      const result = await runVerify(t.app.get(CaseEventStream), {}, out, err);
      expect(out.text).toBe('');
      expect(result.anomalies).toBe(0);
    });
  });

  describe('forget <USR-id> on the audit command line', () => {
    it('erases like the endpoint, and the running service re-renders what it held', async () => {
      const out = new TextCapture();
      const err = new TextCapture();
      const env = { DATA_DIR: t.dataDir, ...(await storeEnv(t.dataDir)) };
      const code = await runAuditCli(['forget', BOB.id], { stdout: out, stderr: err, env });
      expect(err.text).toBe('');
      expect(code).toBe(EXIT.ok);
      expect(JSON.parse(out.text)).toEqual({
        identity: { id: BOB.id },
        status: 'Erased',
        erasedAt: expect.any(String),
      });
      // Another process erased: each thread of the service reacts when it sees the event (the
      // projection thread re-renders and scrubs the read models, the main thread drops its
      // cached folds and keys), so wait for all of it.
      await eventually(async () => {
        const list = (await t.http.get('/cases?limit=100')).text;
        const bobs = (await t.http.get(`/cases/${bobsCase}`)).body as { reporter: unknown };
        return (
          !list.includes(BOB.name) &&
          JSON.stringify(bobs.reporter).includes('[erased]') &&
          filesContaining(t.dataDir, BOB_SECRETS).length === 0
        );
      });
      expect((await t.http.get(`/cases/${bobsCase}`)).body.reporter).toEqual({
        id: BOB.id,
        name: '[erased]',
      });
      expect(filesContaining(t.dataDir, BOB_SECRETS)).toEqual([]);
    });

    it('refuses a malformed id with a usage error, appending nothing', async () => {
      const before = await allEventCount(t);
      const err = new TextCapture();
      const env = { DATA_DIR: t.dataDir, ...(await storeEnv(t.dataDir)) };
      const code = await runAuditCli(['forget', 'bob'], {
        stdout: new TextCapture(),
        stderr: err,
        env,
      });
      expect(code).toBe(EXIT.usage);
      expect(err.text).toMatch(/not a user id/);
      expect(await allEventCount(t)).toBe(before);
    });
  });

  async function everyAnswer(): Promise<string> {
    const stream = t.app.get(CaseEventStream);
    const texts: string[] = [];
    for (const id of [erinsCase, bobsCase]) {
      for (const path of [`/cases/${id}`, `/cases/${id}?revision=1`, `/cases/${id}/audit`]) {
        texts.push((await t.http.get(path)).text);
      }
      const chat = (await t.http.get(`/cases/${id}`)).body.chat.id;
      texts.push((await t.http.get(`/chats/${chat}/participants`)).text);
      const history = new TextCapture();
      await runHistory(stream, id, { json: true }, history);
      const table = new TextCapture();
      await runHistory(stream, id, {}, table);
      const state = new TextCapture();
      await runState(stream, id, { json: true }, state);
      texts.push(history.text, table.text, state.text);
    }
    texts.push((await t.http.get('/cases?limit=100')).text);
    texts.push((await t.http.get('/cases?limit=100', { as: 'client' })).text);
    const exported = new TextCapture();
    await runExport(stream, { format: 'jsonl' }, exported, new TextCapture());
    texts.push(exported.text);
    const feed = await SseConnection.open(`${t.baseUrl}${BASE}/case-events`, {
      token: t.tokens.operations,
    });
    try {
      await feed.waitForEvents(4);
      texts.push(JSON.stringify(feed.events));
    } finally {
      feed.close();
    }
    return texts.join('\n');
  }
});

async function eventually(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function allEventCount(t: TestApp): Promise<number> {
  let count = 0;
  for await (const _ of t.store.readAll()) count += 1;
  return count;
}

/** Every file under `dir` whose bytes hold any of `secrets`, as `file: secret`. */
function filesContaining(dir: string, secrets: readonly string[]): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) {
      hits.push(...filesContaining(file, secrets));
      continue;
    }
    const bytes = readFileSync(file);
    for (const secret of secrets) {
      if (bytes.includes(Buffer.from(secret, 'utf8'))) hits.push(`${name}: ${secret}`);
    }
  }
  return hits;
}
