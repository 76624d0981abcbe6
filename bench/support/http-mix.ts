/**
 * The command mix of SPEC section 10 as autocannon request sequences: every connection walks
 * its own cases through create → transfer → assign → query → process → complete, then starts
 * over with a new case. Each step is a durable command (the service answers after fsync).
 * Per-step latencies are taken from the moment autocannon builds a request (right before it
 * writes it, with one request in flight per connection) to its response.
 */
import type { Request as CannonRequest } from 'autocannon';
import {
  ASSIGNEE,
  CLIENT_ACCOUNT,
  CLIENT_REPORTER,
  HIDDEN_PARAMETER,
  OTHER_QUEUE,
  QUEUE,
  VISIBLE_PARAMETER,
} from '../../test/support/case.fixtures';
import { BASE_PATH } from './http-service';

export { ASSIGNEE, OTHER_QUEUE, QUEUE };

export const createBody = () => ({
  queue: QUEUE,
  account: CLIENT_ACCOUNT,
  reporter: CLIENT_REPORTER,
  parameters: [VISIBLE_PARAMETER, HIDDEN_PARAMETER],
  chat: { lastMessage: { content: 'Our onboarding form keeps failing on step 3.' } },
});

export const STEPS = ['create', 'transfer', 'assign', 'query', 'process', 'complete'] as const;
export type Step = (typeof STEPS)[number];

interface MixContext {
  caseId?: string;
  sentAt?: number;
}

export interface MixRecorder {
  /** Latencies in ms per step. */
  readonly latencies: Record<Step, number[]>;
  /** Status code counts per step. */
  readonly statuses: Record<Step, Map<number, number>>;
  /** The first few non-2xx bodies, for the report. */
  readonly failures: string[];
}

export function newRecorder(): MixRecorder {
  const latencies = {} as Record<Step, number[]>;
  const statuses = {} as Record<Step, Map<number, number>>;
  for (const step of STEPS) {
    latencies[step] = [];
    statuses[step] = new Map();
  }
  return { latencies, statuses, failures: [] };
}

const CASE_ID = /"id":"(CAS-[0-9-]+)"/;

/** The request sequence one connection repeats; `connections` is used to skip cold samples. */
export function mixRequests(
  token: string,
  recorder: MixRecorder,
  connections: number,
): CannonRequest[] {
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  // The first request of each connection is built before the run starts: its time is not a latency.
  let coldCreates = connections;

  const record = (step: Step, status: number, body: string, context: MixContext) => {
    const elapsed = context.sentAt === undefined ? undefined : performance.now() - context.sentAt;
    const counts = recorder.statuses[step];
    counts.set(status, (counts.get(status) ?? 0) + 1);
    if ((status < 200 || status > 299) && recorder.failures.length < 5) {
      recorder.failures.push(`${step} ${status}: ${body.slice(0, 300)}`);
    }
    if (step === 'create' && coldCreates > 0) {
      coldCreates -= 1;
      return;
    }
    if (elapsed !== undefined) recorder.latencies[step].push(elapsed);
  };

  const onCase = (step: Step, path: string, body?: unknown): CannonRequest => ({
    method: 'POST',
    headers: body === undefined ? auth : json,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    setupRequest: (request, context: MixContext) => {
      if (!context.caseId) return undefined as never; // create failed: autocannon starts over
      context.sentAt = performance.now();
      return { ...request, path: `${BASE_PATH}/cases/${context.caseId}/${path}` };
    },
    onResponse: (status, body, context: MixContext) => record(step, status, body, context),
  });

  return [
    {
      method: 'POST',
      path: `${BASE_PATH}/cases`,
      headers: json,
      body: JSON.stringify(createBody()),
      setupRequest: (request, context: MixContext) => {
        context.sentAt = performance.now();
        return request;
      },
      onResponse: (status, body, context: MixContext) => {
        record('create', status, body, context);
        if (status === 201) context.caseId = CASE_ID.exec(body)?.[1];
      },
    },
    onCase('transfer', 'transfer', { queue: OTHER_QUEUE }),
    onCase('assign', 'assign', { assignee: ASSIGNEE }),
    onCase('query', 'query', {
      queryPrompt: 'Can you please fill in the form with the required information?',
    }),
    onCase('process', 'process'),
    onCase('complete', 'complete'),
  ];
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
