/**
 * Consumers of case events on the official client (docs/eventstoredb.md shows their code):
 * following `$ce-case` with resolved links, or `$all` filtered to `case-` streams, each sees
 * every case event exactly once, in order, across a dropped subscription and a restart of the
 * consumer from its saved checkpoint, with system records and links interleaved in `$all`.
 */
import { EventStoreDBClient, type Position } from '@eventstore/db-client';
import { createEsdbEventStore } from '../../src/event-store/esdb/esdb.event-store';
import type { EventStore } from '../../src/event-store/event-store.port';
import { CaseConsumer, type CaseEvent, type CaseSource } from './esdb.case-consumer';
import { anEvent, uniqueStream } from './esdb.fixtures';
import { startEsdbTestServer, type EsdbTestServer } from './esdb.test-server';

describe.each<CaseSource>(['$ce-case', '$all'])('a case event consumer on %s', (source) => {
  let server: EsdbTestServer;
  let store: EventStore;
  let client: EventStoreDBClient;

  beforeEach(async () => {
    server = await startEsdbTestServer();
    store = createEsdbEventStore(server.connectionString);
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterEach(async () => {
    await client.dispose();
    await store.close();
    await server.stop();
  });

  /** Appends `count` events round-robin over the cases; returns their ids in append order. */
  async function appendCaseEvents(cases: string[], count: number, from: number): Promise<string[]> {
    const ids: string[] = [];
    for (let n = from; n < from + count; n++) {
      const event = anEvent(n === 0 ? 'CaseCreated' : 'CaseTransferred', { n });
      await store.appendToStream(cases[n % cases.length], [event], { expectedRevision: 'any' });
      await store.appendToStream(`queue-${n}`, [anEvent('NotACase')], { expectedRevision: 'any' });
      ids.push(event.id);
    }
    return ids;
  }

  async function until(condition: () => boolean): Promise<void> {
    for (let attempt = 0; attempt < 200 && !condition(); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(condition()).toBe(true);
  }

  it('sees every case event once, in order, across a drop and a restart from its checkpoint', async () => {
    const cases = [uniqueStream('case'), uniqueStream('case')];
    let saved: bigint | Position | undefined;
    const checkpoints = {
      load: async () => saved,
      save: async (checkpoint: bigint | Position) => {
        saved = checkpoint;
      },
    };
    const seen: CaseEvent[] = [];
    const handle = async (event: CaseEvent) => {
      seen.push(event);
    };
    const appended = await appendCaseEvents(cases, 6, 0);
    let consumer = new CaseConsumer(client, source, checkpoints, handle);
    consumer.start();
    await until(() => seen.length === 6);

    expect(server.dropSubscriptions()).toBe(1);
    appended.push(...(await appendCaseEvents(cases, 4, 6)));
    await until(() => seen.length === 10);
    await consumer.stop();

    appended.push(...(await appendCaseEvents(cases, 3, 10)));
    consumer = new CaseConsumer(client, source, checkpoints, handle);
    consumer.start();
    await until(() => seen.length === 13);
    await consumer.stop();

    expect(seen.map((event) => event.id)).toEqual(appended);
    expect(seen.every((event) => cases.includes(event.streamId))).toBe(true);
    expect(seen.map((event) => (event.data as { n: number }).n)).toEqual(
      Array.from({ length: 13 }, (_, n) => n),
    );
    // $all really is interleaved with system records and links the consumer never saw.
    const systemStreams = new Set(server.log.all.map((record) => record.streamId));
    expect(systemStreams).toContain('$ce-case');
    expect([...systemStreams].some((id) => id.startsWith('$stats-'))).toBe(true);
  });
});
