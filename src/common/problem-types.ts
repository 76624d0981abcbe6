import { STATUS_CODES } from 'node:http';
import { problemSlug, problemTitle, type ProblemKind } from './problem';

/** Every problem type the service answers with, and what a client should make of it. */
const EXPLAINED: readonly [number, ProblemKind | undefined, string][] = [
  [
    400,
    'validation',
    'The body or a parameter failed validation. `errors` maps each failing field to its messages; nothing was changed.',
  ],
  [
    400,
    undefined,
    'The request could not be read: malformed JSON, an invalid RQL query or `select`, a malformed header. `detail` says where and why; nothing was changed.',
  ],
  [
    401,
    undefined,
    'No bearer token, or one that is not valid. `WWW-Authenticate` says which; get a new token.',
  ],
  [403, undefined, 'The caller may not do this to this case.'],
  [404, undefined, 'No such resource, or none this caller may see.'],
  [405, undefined, 'The route does not take this method.'],
  [
    409,
    undefined,
    'A rule of the case refused the command in its current state, or concurrent writers kept winning. Read the case again before retrying.',
  ],
  [412, undefined, '`If-Match` names a revision the case is no longer at. Read the case again.'],
  [413, undefined, 'The body is larger than the service takes.'],
  [415, undefined, 'Bodies must be application/json.'],
  [422, undefined, 'The `Idempotency-Key` was already used with a different request.'],
  [500, undefined, 'The service failed; the `traceId` finds the request in its logs.'],
  [
    503,
    undefined,
    'A dependency (the event store, identity keys, a projection) is unavailable. Retry after `Retry-After` seconds.',
  ],
];

export interface ProblemTypeDoc {
  readonly slug: string;
  readonly status: number;
  readonly title: string;
  readonly description: string;
}

/** Any other 4xx or 5xx the service or its HTTP server might send still has a page to point at. */
const GENERIC: typeof EXPLAINED = Object.keys(STATUS_CODES)
  .map(Number)
  .filter((status) => status >= 400)
  .map((status) => [status, undefined, `The request failed with HTTP status ${status}.`]);

export const PROBLEM_TYPES: ReadonlyMap<string, ProblemTypeDoc> = new Map(
  [...GENERIC, ...EXPLAINED].map(([status, kind, description]) => {
    const slug = problemSlug(status, kind);
    return [slug, { slug, status, title: problemTitle(status, kind), description }];
  }),
);
