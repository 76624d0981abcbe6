import { setTimeout as delay } from 'node:timers/promises';
import type {
  AllSubscription,
  EventStore,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../../src/event-store/event-store.port';
import { OTHER_QUEUE, clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';
import { startTestApp, type TestApp } from './support/test-app';

/** Every event reaches the read models this late, as under load or behind a slow store. */
const PROJECTION_DELAY_MS = 300;

describe(onStore('read-your-writes: a list after a command on the same instance'), () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ overrides: { wrapEventStore: slowSubscriptions } });
  });
  afterAll(() => t.close());

  it('lists a case it has just created, although the read model lags', async () => {
    const created = await t.http.post('/cases', clientCaseBody());

    const list = await t.http.get(`/cases?eq(id,${created.body.id})`);

    expect(list.status).toBe(200);
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
  });

  it('lists a change it has just made, at the revision it produced', async () => {
    const id = (await t.http.post('/cases', clientCaseBody())).body.id;
    const transferred = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });

    const list = await t.http.get(`/cases?eq(id,${id})`);

    expect(list.body.data).toEqual([
      expect.objectContaining({ revision: transferred.body.revision, queue: OTHER_QUEUE }),
    ]);
  });

  it('lists the chat participants of a case it has just created', async () => {
    const created = await t.http.post('/cases', clientCaseBody());

    const participants = await t.http.get(`/chats/${created.body.chat.id}/participants`);

    expect(participants.status).toBe(200);
  });
});

/** The store, with every subscription delivering each event `PROJECTION_DELAY_MS` late. */
function slowSubscriptions(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'subscribeToAll') return Reflect.get(target, property, receiver) as unknown;
      return (options?: SubscribeToAllOptions): AllSubscription => {
        const inner = target.subscribeToAll(options);
        return {
          async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
            for await (const event of inner) {
              await delay(PROJECTION_DELAY_MS);
              yield event;
            }
          },
          unsubscribe: () => inner.unsubscribe(),
        };
      };
    },
  });
}
