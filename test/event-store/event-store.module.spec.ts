import { Logger } from '@nestjs/common';
import { StoreAccessDenied, StoreUnavailable } from '../../src/event-store/event-store.errors';
import { EventStoreModule } from '../../src/event-store/event-store.module';
import type { EventStore } from '../../src/event-store/event-store.port';
import type { AppConfig } from '../../src/config/app.config';
import { ReadinessRegistry } from '../../src/health/readiness.registry';
import { MetricsRegistry } from '../../src/metrics/metrics.registry';

/**
 * At startup the store module says, once and as an error, when the store refuses the
 * service's credentials or rights; a store that is merely down is left to readiness.
 */
describe('EventStoreModule at startup', () => {
  const startWith = async (failure: Error) => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const store = { checkHealth: () => Promise.reject(failure) } as unknown as EventStore;
    new EventStoreModule(
      store,
      { eventStore: 'esdb', dataDir: '/nowhere' } as AppConfig,
      new ReadinessRegistry(),
      new MetricsRegistry(),
    ).onApplicationBootstrap();
    await new Promise((resolve) => setImmediate(resolve));
    const logged = errors.mock.calls.map(([message]) => message);
    errors.mockRestore();
    return logged;
  };

  it('logs an access-denied store with the missing right named', async () => {
    const denied = new StoreAccessDenied(
      'EventStoreDB denied access: the user "ops" needs read access to $all.',
    );

    expect(await startWith(denied)).toEqual([denied.message]);
  });

  it('logs nothing for a store that is only unavailable', async () => {
    expect(await startWith(new StoreUnavailable('EventStoreDB is unavailable'))).toEqual([]);
  });
});
