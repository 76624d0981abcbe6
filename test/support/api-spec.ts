import { openedEvents } from './opened-events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app.config';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/memory/in-memory.event-store';
import { collect } from '../event-store/contract/contract.fixtures';
import { ApiRequest, type ApiResponse } from './api-request';
import { callerTokens, TEST_SECRET, type Caller } from './callers';

/**
 * API specifications in the shape of Emmett's `ApiSpecification`: given the events a case
 * already has, when one HTTP request is made, then this status, body and these new events (or
 * none). State is seeded straight into the store, so a spec says which history it starts from
 * instead of building it through other requests. One app per spec file, on an in-memory
 * store; tests stay apart by using their own case ids ({@link aCaseId}).
 *
 *   const given = apiSpecification();
 *   it('…', () =>
 *     given(existingCase(id, [opened(id)]))
 *       .when((request) => request.post(`/cases/${id}/complete`))
 *       .then(expectResponse(200, { body: { status: 'Completed' } }), expectNewEvents(id, [...])));
 */

/** A case event as the store holds it. */
export interface StoredCaseEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

export interface SpecContext {
  readonly response: ApiResponse;
  /** Every event appended by the request under test, in order, whatever its stream. */
  readonly newEvents: readonly RecordedEvent[];
}

export type SpecAssertion = (context: SpecContext) => void;

/** A precondition: stored events, or (rarely) an earlier request whose record is private. */
export type Given = (app: SpecApp) => Promise<void>;

export interface SpecApp {
  readonly app: NestFastifyApplication;
  readonly store: InMemoryEventStore;
  readonly tokens: Record<Caller, string>;
}

export type ApiSpecification = (...given: Given[]) => {
  when(request: (request: ApiRequest) => ApiRequest): {
    then(...assertions: SpecAssertion[]): Promise<void>;
  };
};

/** Registers the spec file's app (beforeAll/afterAll) and returns its `given`. */
export function apiSpecification(): ApiSpecification {
  let spec: SpecApp & { close(): Promise<void> };
  beforeAll(async () => {
    spec = await startSpecApp();
  });
  afterAll(() => spec?.close());

  return (...given) => ({
    when: (build) => ({
      async then(...assertions) {
        for (const precondition of given) await precondition(spec);
        const before = await headOf(spec.store);
        const response = await build(new ApiRequest()).injectInto(spec.app, spec.tokens);
        // What was appended, as the service reads it (personal fields are stored sealed).
        const newEvents = await openedEvents(
          spec.app,
          await collect(spec.store.readAll({ after: before })),
        );
        for (const assertion of assertions) assertion({ response, newEvents });
      },
    }),
  });
}

export function existingCase(caseId: string, events: readonly StoredCaseEvent[]): Given {
  return appendGiven(caseId, events, 'no_stream');
}

/** More events of a case that exists by now, e.g. after an {@link earlierRequest}. */
export function laterEvents(caseId: string, events: readonly StoredCaseEvent[]): Given {
  return appendGiven(caseId, events, 'stream_exists');
}

function appendGiven(
  caseId: string,
  events: readonly StoredCaseEvent[],
  expectedRevision: 'no_stream' | 'stream_exists',
): Given {
  return async ({ store }) => {
    await store.appendToStream(
      caseStreamOf(caseId),
      events.map((event) => ({ id: crypto.randomUUID(), ...event })),
      { expectedRevision },
    );
  };
}

/**
 * A request made before the one under test, for state only the service itself can write (the
 * request hash an idempotent retry is matched on). Everything else is seeded as events.
 */
export function earlierRequest(build: (request: ApiRequest) => ApiRequest): Given {
  return async ({ app, tokens }) => {
    const { status } = await build(new ApiRequest()).injectInto(app, tokens);
    expect(status).toBeLessThan(300);
  };
}

/** Status, then headers and body matched partially (what is named must be there and equal). */
export function expectResponse(
  status: number,
  expected: { body?: unknown; headers?: Record<string, unknown> } = {},
): SpecAssertion {
  return ({ response }) => {
    expect({ status: response.status, body: response.body }).toMatchObject({
      status,
      ...(expected.body === undefined ? {} : { body: expected.body }),
    });
    if (expected.headers) expect(response.headers).toMatchObject(expected.headers);
  };
}

/** A problem+json answer with this status and, when given, a detail matching `detail`. */
export function expectProblem(status: number, detail?: RegExp): SpecAssertion {
  return ({ response }) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status, ...(detail ? { detail } : {}) });
  };
}

/**
 * Exactly these events were appended, all to this case: type and data equal, metadata matched
 * partially (it carries times and ids the request chose).
 */
export function expectNewEvents(
  caseId: string,
  expected: readonly { type: string; data: unknown; metadata?: unknown }[],
): SpecAssertion {
  return ({ newEvents }) => {
    expect(newEvents.map(({ streamId, type, data }) => ({ streamId, type, data }))).toEqual(
      expected.map(({ type, data }) => ({ streamId: caseStreamOf(caseId), type, data })),
    );
    newEvents.forEach((event, i) => {
      const metadata = expected[i]?.metadata;
      if (metadata !== undefined) expect(event.metadata).toMatchObject(metadata as object);
    });
  };
}

export function expectNoNewEvents(): SpecAssertion {
  return ({ newEvents }) => expect(newEvents).toEqual([]);
}

const caseStreamOf = (caseId: string) => `case-${caseId}`;

async function startSpecApp(): Promise<SpecApp & { close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'case-api-spec-'));
  const store = new InMemoryEventStore();
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  const app = await createApp(config, { eventStore: store });
  return {
    app,
    store,
    tokens: await callerTokens(),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function headOf(store: InMemoryEventStore): Promise<bigint> {
  let head = 0n;
  for await (const event of store.readAll()) head = event.position;
  return head;
}
