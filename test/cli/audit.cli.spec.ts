import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { entryPointArgs } from '../support/entry-point';
import { appendCaseEvents, scratchStore, type ScratchStore } from './support/audit-store.fixtures';
import { assigned, created, queried } from './support/case-event.fixtures';

const ROOT = join(__dirname, '..', '..');
const CASE_ID = 'CAS-3000-0000-0003';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real entry point in its own process, as `npm run audit -- ...` runs it. */
function audit(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entryPointArgs('cli/audit'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the case-audit command line', () => {
  let s: ScratchStore;
  let env: Record<string, string>;
  beforeAll(async () => {
    s = await scratchStore();
    await appendCaseEvents(s.store, CASE_ID, [created(CASE_ID)], 'no_stream');
    await appendCaseEvents(s.store, CASE_ID, [assigned(), queried('Which "contract", exactly?')]);
    env = { DATA_DIR: s.dataDir };
  });
  afterAll(() => s.dispose());

  it('history --json prints the audit records on stdout and exits 0', async () => {
    const run = await audit(['history', CASE_ID, '--json'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const records = JSON.parse(run.stdout);
    expect(records.map((r: { revision: number; event: string }) => [r.revision, r.event])).toEqual([
      [1, 'CaseCreated'],
      [2, 'CaseAssigned'],
      [3, 'CaseQueried'],
    ]);
    expect(records[2]).toMatchObject({
      object: { id: CASE_ID, objectType: 'Case', revision: 3 },
      details: { queryPrompt: 'Which "contract", exactly?' },
      actor: { id: 'USR-1000-0001', account: { accountType: 'operations' } },
    });
  });

  it('export --format csv writes RFC 4180 CSV to stdout and a summary to stderr', async () => {
    const run = await audit(['export', '--format', 'csv'], env);
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\r\n');
    expect(rows[0]).toBe('eventId,type,streamId,caseId,revision,position,data,metadata,created');
    expect(rows).toHaveLength(5);
    expect(rows[3]).toContain(',CaseQueried,');
    expect(rows[3]).toContain('"{""queryPrompt"":""Which \\""contract\\"", exactly?""}"');
    expect(run.stderr).toMatch(/^export: 3 events in .* \(use --after \d+ to continue\)\n$/);
  });

  it('refuses an unknown case with a clear message and exit code 3', async () => {
    const run = await audit(['state', 'CAS-0000-0000-0000'], env);
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toBe(
      'error: No case CAS-0000-0000-0000: stream case-CAS-0000-0000-0000 has no events.\n',
    );
  });

  it.each([
    [['state', CASE_ID, '--revision', '0'], /--revision must be a whole number of 1 or more/],
    [['state', CASE_ID, '--revision', 'two'], /--revision must be a whole number/],
    [['state', CASE_ID, '--at', 'yesterday'], /--at must be an ISO 8601 date-time/],
    [['export', '--after', '-1'], /--after must be a global position/],
    [['export', '--format', 'xml'], /argument 'xml' is invalid/],
    [['histroy', CASE_ID], /unknown command 'histroy'[\s\S]*Did you mean history\?/],
    [['verify', '--cases', CASE_ID], /unknown option '--cases'/],
  ])('refuses %j as a usage error (exit 2)', async (args, message) => {
    const run = await audit(args, env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('needs no JWT settings but refuses a DATA_DIR without a store (exit 4)', async () => {
    const run = await audit(['verify'], {
      DATA_DIR: join(s.dataDir, 'typo'),
      NODE_ENV: 'production',
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^error: No event store at .*typo\/events\.db \(DATA_DIR\)/);
  });

  it('refuses a malformed id to forget before opening the store or the keys (exit 2)', async () => {
    const port = await closedPort();
    const dataDir = join(s.dataDir, 'untouched');

    const run = await audit(['forget', 'bob'], {
      DATA_DIR: dataDir,
      EVENT_STORE: 'esdb',
      EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false`,
      AUDIT_STORE_TIMEOUT_MS: '1500',
    });

    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/"bob" is not a user id such as USR-1234-5678/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('gives up on an unreachable EventStoreDB with exit code 5 instead of hanging', async () => {
    const port = await closedPort();
    const run = await audit(['verify'], {
      EVENT_STORE: 'esdb',
      EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false`,
      AUDIT_STORE_TIMEOUT_MS: '1500',
    });
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: The event store at esdb://127\\.0\\.0\\.1:${port}\\?tls=false \\(EVENT_STORE=esdb\\) is unavailable: `,
      ),
    );
  });
});
