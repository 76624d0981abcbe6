import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PinoLogger } from 'nestjs-pino';
import { StoreUnavailable } from '../../src/event-store/event-store.errors';
import { InstrumentedEventStore } from '../../src/event-store/instrumented.event-store';
import { InMemoryEventStore } from '../../src/event-store/memory/in-memory.event-store';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/event-store/sqlite/sqlite.event-store';
import { MetricsRegistry } from '../../src/metrics/metrics.registry';
import { collect, rejectionOf, someEvents, uniquePrefix } from './contract/contract.fixtures';

/**
 * The service only ever sees its store through this wrapper, so an optional capability the
 * wrapper does not pass on is one the service never gets: the stored-row read
 * (`readAllSerialized`) must be there exactly when the adapter has it, and fail as loudly.
 */
describe('the instrumented store', () => {
  let root: string;
  let adapter: SqliteEventStore;
  let metrics: MetricsRegistry;
  const warnings: string[] = [];
  const logger = {
    warn: (_fields: unknown, message: string) => warnings.push(message),
  } as unknown as PinoLogger;
  const instrumented = (store: InMemoryEventStore | SqliteEventStore) =>
    new InstrumentedEventStore(store, 'sqlite', metrics, logger);

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'instrumented-store-'));
    adapter = await openSqliteEventStore({ dataDir: root, pageSize: 2 });
    metrics = new MetricsRegistry();
    warnings.length = 0;
  });
  afterEach(async () => {
    await adapter.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("hands out the adapter's stored-row pages as they are", async () => {
    const prefix = uniquePrefix();
    await adapter.appendToStream(`${prefix}a`, someEvents(3), { expectedRevision: 'no_stream' });
    await adapter.appendToStream(`${prefix}b`, someEvents(2), { expectedRevision: 'no_stream' });
    const store = instrumented(adapter);

    const pages = await collect(store.readAllSerialized!({ streamPrefix: prefix }));

    expect(pages).toEqual(await collect(adapter.readAllSerialized({ streamPrefix: prefix })));
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(typeof pages[0]![0]!.data).toBe('string');
  });

  it('offers no stored-row read over an adapter without one', () => {
    const memory = new InMemoryEventStore();

    expect(memory.readAllSerialized).toBeUndefined();
    expect(instrumented(memory).readAllSerialized).toBeUndefined();
  });

  it('counts and logs a stored-row read that fails, and passes the error on', async () => {
    const store = instrumented(adapter);
    await adapter.close();

    const error = await rejectionOf(collect(store.readAllSerialized!()));

    expect(error).toBeInstanceOf(StoreUnavailable);
    const counted = (await metrics.storeErrors.get()).values;
    expect(counted).toEqual([
      expect.objectContaining({
        labels: { operation: 'readAllSerialized', kind: 'unavailable' },
        value: 1,
      }),
    ]);
    expect(warnings).toEqual([expect.stringContaining('Event store readAllSerialized failed')]);
  });
});
