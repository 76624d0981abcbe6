import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEmbeddedOnly } from './support/e2e-store';
import { HttpClient } from './support/http-client';
import { spawnService, type ServiceProcess } from './support/service-process';
import { ASSIGNEE, OTHER_QUEUE, clientCaseBody } from '../support/case.fixtures';

/** The service as a user runs it: its own process, the tokens it prints, a hard kill. */
describeEmbeddedOnly('the service process', () => {
  jest.setTimeout(120_000);
  let dataDir: string;
  let service: ServiceProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'case-proc-'));
  });
  afterEach(async () => {
    await service?.kill('SIGKILL');
    service = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const printedTokens = (output: string) => {
    const token = (name: string) =>
      new RegExp(`export ${name}_TOKEN=(\\S+)`).exec(output)?.[1] ?? '';
    return {
      operations: token('OPERATIONS'),
      client: token('CLIENT'),
      vendor: token('VENDOR'),
      otherClient: '',
    };
  };

  it('keeps every acknowledged change through SIGKILL and a restart, using the tokens it prints', async () => {
    service = await spawnService({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    let http = new HttpClient(service.baseUrl, printedTokens(service.output()));
    const id = (await http.post('/cases', clientCaseBody())).body.id;
    expect((await http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE })).status).toBe(200);
    expect((await http.post(`/cases/${id}/assign`, { assignee: ASSIGNEE })).status).toBe(200);
    const last = await http.post(`/cases/${id}/query`, { queryPrompt: 'Which one?' });
    expect(last.status).toBe(200);
    const before = await http.get(`/cases/${id}/audit`);

    expect(await service.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    service = await spawnService({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    http = new HttpClient(service.baseUrl, printedTokens(service.output()));

    const after = await http.get(`/cases/${id}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(last.body);
    expect((await http.get(`/cases/${id}/audit`)).body).toEqual(before.body);
    expect((await http.get(`/cases/${id}?revision=2`)).body.queue).toEqual(OTHER_QUEUE);
    const client = await http.get(`/cases/${id}`, { as: 'client' });
    expect(client.status).toBe(200);
    expect(client.body).not.toHaveProperty('awaiting');
  });

  it('refuses to start in production without a token key, saying why', async () => {
    await expect(spawnService({ DATA_DIR: dataDir, NODE_ENV: 'production' })).rejects.toThrow(
      /exited with 78[\s\S]*No token verification key is configured/,
    );
  });

  it('refuses to start with a master key that is not the one its personal data was sealed with', async () => {
    const key = () => randomBytes(32).toString('hex');
    service = await spawnService({
      DATA_DIR: dataDir,
      NODE_ENV: 'development',
      PII_MASTER_KEY: key(),
    });
    await service.kill('SIGTERM');
    service = undefined;
    await expect(
      spawnService({ DATA_DIR: dataDir, NODE_ENV: 'development', PII_MASTER_KEY: key() }),
    ).rejects.toThrow(
      /exited with 78[\s\S]*PII_MASTER_KEY does not open the personal-data key store/,
    );
  });

  it('refuses to start on invalid configuration, naming every problem', async () => {
    await expect(
      spawnService({
        DATA_DIR: dataDir,
        PORT: 'eighty',
        EVENT_STORE: 'postgres',
        JWT_SECRET: 'short',
      }),
    ).rejects.toThrow(
      /exited with 78:\s+Invalid configuration:\n(\s+- (PORT must be|EVENT_STORE must be one of sqlite, esdb|JWT_SECRET must be at least 32 bytes).*\n){3}/,
    );
  });

  it('refuses to start on a snapshot interval that is not a whole number, naming it', async () => {
    await expect(
      spawnService({ DATA_DIR: dataDir, NODE_ENV: 'development', CASE_SNAPSHOT_EVERY: '1e3' }),
    ).rejects.toThrow(
      /exited with 78:\s+Invalid configuration:\n\s+- CASE_SNAPSHOT_EVERY must be a whole number from 0 to 1000000, got "1e3"/,
    );
  });

  it('refuses to start when its projection thread cannot open the read models, saying why', async () => {
    // Where the read models' file belongs, a directory.
    mkdirSync(join(dataDir, 'read-models.db'));

    await expect(spawnService({ DATA_DIR: dataDir, NODE_ENV: 'development' })).rejects.toThrow(
      /exited with [1-9]\d*[\s\S]*The projection thread cannot start: unable to open database file/,
    );
  });

  it('refuses to start on a port in use with one clear line and exit 78', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(
        spawnService({ DATA_DIR: dataDir, NODE_ENV: 'development', PORT: String(port) }),
      ).rejects.toThrow(
        new RegExp(
          `exited with 78:[\\s\\S]*"msg":"Port ${port} on 127\\.0\\.0\\.1 is already in use: set PORT to a free port"`,
        ),
      );
    } finally {
      blocker.close();
    }
  });

  it('shuts down on SIGTERM after closing the store, keeping what it acknowledged', async () => {
    service = await spawnService({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    let http = new HttpClient(service.baseUrl, printedTokens(service.output()));
    const responses = await Promise.all([1, 2, 3].map(() => http.post('/cases', clientCaseBody())));
    const firstTokens = printedTokens(service.output());
    expect(await service.kill('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    expect(service.output()).toMatch(
      /"msg":"SIGTERM: answering new requests 503 for \d+ ms, then closing"/,
    );
    expect(service.output()).toMatch(/"msg":"Shutting down: draining \d+ in-flight requests"/);
    expect(service.output()).toMatch(
      /"msg":"Shutdown complete: drained \d+ in-flight requests in \d+ ms"/,
    );
    service = await spawnService({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    // The dev secret is kept in DATA_DIR: tokens exported before the restart still work.
    http = new HttpClient(service.baseUrl, firstTokens);
    for (const created of responses) {
      expect((await http.get(`/cases/${created.body.id}`)).body).toEqual(created.body);
    }
  });
});
