/**
 * The adapter against a secure node (TLS, credentials from the connection string, default
 * ACLs): an admin can do everything the service needs; an ordinary user can write case streams
 * but not read `$all`, and a wrong password is refused outright. Neither is an outage: both
 * give StoreAccessDenied naming the user and the missing right (the readiness check's message),
 * never a bare 500 or a retry loop.
 */
import { StoreAccessDenied } from '../../src/event-store/event-store.errors';
import { createEsdbEventStore } from '../../src/event-store/esdb/esdb.event-store';
import type { EventStore } from '../../src/event-store/event-store.port';
import { DEFAULT_USERS } from './esdb.access';
import { anEvent, collect, uniqueStream } from './esdb.fixtures';
import { startEsdbTestServer, type EsdbTestServer } from './esdb.test-server';

export function esdbAccessBehaviour(): void {
  let server: EsdbTestServer;
  const opened: EventStore[] = [];
  const open = (connectionString: string) => {
    const store = createEsdbEventStore(connectionString, {
      resubscribe: { firstDelayMs: 20, maxDelayMs: 100 },
    });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startEsdbTestServer({ users: DEFAULT_USERS });
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await server.stop();
  });

  it('serves an admin over TLS with the connection string credentials', async () => {
    const store = open(server.connectionString);
    const stream = uniqueStream('case');

    await store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' });

    await expect(store.checkHealth()).resolves.toBeUndefined();
    expect((await collect(store.readAll({ streamPrefix: stream }))).map((e) => e.type)).toEqual([
      'A',
    ]);
  });

  it('names the missing right when a user may write streams but not read $all', async () => {
    const store = open(server.connectionStringAs('ops', 'changeit'));
    const stream = uniqueStream('case');
    await store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' });
    expect(server.log.stream(stream)).toHaveLength(1);

    for (const call of [
      store.checkHealth(),
      collect(store.readAll()),
      collect(store.subscribeToAll({ streamPrefix: stream })),
    ]) {
      const failed = expect(call).rejects;
      await failed.toBeInstanceOf(StoreAccessDenied);
    }
    await expect(store.checkHealth()).rejects.toMatchObject({
      code: 'STORE_ACCESS_DENIED',
      message: expect.stringMatching(/user "ops" needs read access to \$all/),
    });
  });

  it('says the credentials are wrong when the password is', async () => {
    const store = open(server.connectionStringAs('admin', 'wrong'));
    const stream = uniqueStream('case');

    await expect(store.checkHealth()).rejects.toMatchObject({
      constructor: StoreAccessDenied,
      message: expect.stringMatching(
        /refused the credentials .* "admin" \(wrong user name or password\)/,
      ),
    });
    await expect(
      store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(StoreAccessDenied);
    expect(server.log.stream(stream)).toBeUndefined();
  });

  it('says the connection string has no credentials when a secure node gets none', async () => {
    const store = open(server.connectionString.replace(/\/\/[^@]+@/, '//'));

    await expect(
      store.appendToStream(uniqueStream('case'), [anEvent('A')], { expectedRevision: 'no_stream' }),
    ).rejects.toMatchObject({
      constructor: StoreAccessDenied,
      message: expect.stringMatching(/anonymous caller .* needs write access to stream case-/),
    });
  });
}
