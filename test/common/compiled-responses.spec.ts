import Fastify, { type FastifyInstance } from 'fastify';
import type { ArgumentsHost } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { auditTrail } from '../../src/cases/application/case-audit-trail';
import { caseViewFor, emptyCaseFold, foldCase } from '../../src/cases/application/case.fold';
import { narrowCaseView } from '../../src/cases/access/case-visibility';
import { applySelection, parseSelect } from '../../src/cases/rql/select';
import { AUDIT_RECORD_FIELDS, caseFields } from '../../src/cases/rql/case.select-fields';
import { compileResponsesFromDescription } from '../../src/common/compiled-responses';
import { paginate } from '../../src/common/pagination';
import { ProblemFilter } from '../../src/common/problem.filter';
import { ProblemError } from '../../src/common/problem';
import { NotFound, ValidationFailed } from '../../src/common/http-errors';
import { startTestApp } from '../e2e/support/test-app';
import {
  assigned,
  by,
  caseCreated,
  caseId,
  history,
  internalScore,
  priority,
  queried,
  transferred,
  will,
  willActor,
} from '../cases/domain/case.fixtures';

/**
 * fast-json-stringify writes declared fields in the schema's order and coerces values to the
 * declared types; the serializers compiled from the description must still write, byte for byte,
 * what JSON.stringify writes for every answer the presenters give. Each answer here goes through
 * a Fastify route carrying exactly the response schemas the service's route gets.
 */
describe('responses compiled from the OpenAPI description', () => {
  let server: FastifyInstance;
  let answer: { status: number; type?: string; payload: unknown };

  const CASES = '/public/v1/helpdesk/cases';
  const ROUTES = [
    ['POST', CASES],
    ['GET', CASES],
    ['GET', `${CASES}/:id`],
    ['POST', `${CASES}/:id/assign`],
    ['GET', `${CASES}/:id/audit`],
    ['GET', '/health/ready'],
  ] as const;

  beforeAll(async () => {
    const service = await startTestApp();
    const description = (await (
      await fetch(`${service.baseUrl}/docs/openapi.json`)
    ).json()) as OpenAPIObject;
    await service.close();
    server = Fastify();
    compileResponsesFromDescription(server, description);
    for (const [method, url] of ROUTES) {
      server.route({
        method,
        url,
        handler: (_request, reply) => {
          if (answer.type) reply.type(answer.type);
          return reply.code(answer.status).send(answer.payload);
        },
      });
    }
    await server.ready();
  });
  afterAll(() => server.close());

  async function written(
    route: string,
    payload: unknown,
    { status = 200, type }: { status?: number; type?: string } = {},
  ): Promise<string> {
    answer = { status, type, payload };
    const [method, url] = route.split(' ') as ['GET' | 'POST', string];
    const response = await server.inject({ method, url });
    expect(response.statusCode).toBe(status);
    return response.body;
  }

  const entries = history(
    caseCreated({
      // Client shapes keep the client's key order, as sent and stored.
      queue: { workflow: 'HWF-1234-4568', name: 'Öffnung ✓ "quoted" \\ 😀', id: 'HQU-1234-1234' },
      parameters: [
        { ...priority('P1'), value: { nested: [1, null, 'x\u2028y'], 'key "q"': true } },
        internalScore(7),
        { value: null, id: 'PAR-0000-0001', name: 'lone surrogate \ud800 and tab\t' },
      ],
    }),
    transferred,
    by(willActor, assigned(will)),
    queried,
  );
  const fold = foldCase(emptyCaseFold(caseId), entries);
  const operationsView = narrowCaseView(caseViewFor(fold, 'operations')!, 'operations');
  const accountView = narrowCaseView(caseViewFor(fold, 'account')!, 'account');

  it('uses the compiled serializer: declared fields come out in the description order', async () => {
    const body = await written(`GET ${CASES}/${caseId}`, { revision: 4, id: caseId });
    expect(body).toBe(`{"id":"${caseId}","revision":4}`);
  });

  it.each([
    ['operations', operationsView],
    ['an account member', accountView],
  ])('writes a case as %s sees it as JSON.stringify does', async (_who, view) => {
    for (const route of [`GET ${CASES}/${caseId}`, `POST ${CASES}/${caseId}/assign`]) {
      expect(await written(route, view)).toBe(JSON.stringify(view));
    }
    const created = { ...view, $meta: { ignored: ['id', 'audit.created'] } };
    expect(await written(`POST ${CASES}`, created, { status: 201 })).toBe(JSON.stringify(created));
  });

  it('writes nulls, absent fields and fields the description does not name as they are', async () => {
    const unassigned = { ...operationsView, assignee: null, queryPrompt: null };
    const partial = { id: caseId, status: 'Processing', audit: {} };
    const extra = { ...operationsView, audit: { ...operationsView.audit, erased: true }, x: [1] };
    for (const view of [unassigned, partial, extra]) {
      expect(await written(`GET ${CASES}/${caseId}`, view)).toBe(JSON.stringify(view));
    }
  });

  it('writes a page of cases and a page of audit records as JSON.stringify does', async () => {
    const cases = paginate([operationsView, accountView], { offset: 0, limit: 10 });
    expect(await written(`GET ${CASES}`, cases)).toBe(JSON.stringify(cases));
    const trail = paginate(auditTrail(caseId, entries, 'account'), { offset: 1, limit: 2 });
    expect(await written(`GET ${CASES}/${caseId}/audit`, trail)).toBe(JSON.stringify(trail));
  });

  it('writes a select= answer in the order the caller asked for', async () => {
    const selection = parseSelect('audit.updated,status,-queue', caseFields('operations'));
    const selected = applySelection(operationsView, selection);
    expect(Object.keys(selected)).toEqual(['id', 'audit', 'status']);
    const body = await written(`GET ${CASES}/${caseId}?select=audit.updated,status`, selected);
    expect(body).toBe(JSON.stringify(selected));
    const records = auditTrail(caseId, entries, 'operations').map((record) =>
      applySelection(record, parseSelect('details,event', AUDIT_RECORD_FIELDS)),
    );
    const page = paginate(records, { offset: 0, limit: 10 });
    expect(await written(`GET ${CASES}/${caseId}/audit?select=details,event`, page)).toBe(
      JSON.stringify(page),
    );
  });

  it('writes a health answer, whose indicators put their own fields before `status`', async () => {
    const indicator = { projection: 'cases', lagEvents: 0, status: 'up' };
    const health = {
      status: 'error',
      info: { readModels: indicator },
      error: { disk: { message: 'full', status: 'down' } },
      details: { readModels: indicator, disk: { message: 'full', status: 'down' } },
    };
    expect(await written('GET /health/ready', health)).toBe(JSON.stringify(health));
    expect(await written('GET /health/ready', health, { status: 503 })).toBe(
      JSON.stringify(health),
    );
  });

  it.each([
    ['a validation failure', new ValidationFailed('Invalid fields: queue.', { queue: ['bad ✗'] })],
    ['a not found', new NotFound('No case "CAS-\u0000".')],
    ['an unforeseen failure', new Error('boom')],
  ])('writes %s as the problem filter builds it', async (_what, error: Error | ProblemError) => {
    const problem = problemOf(error);
    const body = await written(`POST ${CASES}/${caseId}/assign`, problem.body, {
      status: problem.status,
      type: 'application/problem+json',
    });
    expect(body).toBe(JSON.stringify(problem.body));
  });
});

/** The body and status the one exception filter answers with for an error. */
function problemOf(error: unknown): { status: number; body: unknown } {
  let status = 0;
  let body: unknown;
  const reply = {
    status: (code: number) => ((status = code), reply),
    headers: () => reply,
    type: () => reply,
    send: (sent: unknown) => (body = sent),
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ id: 'trace-✓' }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  new ProblemFilter().catch(error, host);
  return { status, body };
}
