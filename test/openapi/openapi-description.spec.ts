import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../e2e/support/test-app';
import { driveLifecycle } from './client/case-lifecycle.client';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const CLIENT_DIR = join(__dirname, 'client');

/**
 * CI gates on the served description (the e2e suite's HTTP client checks every answer against
 * it): Redocly lint finds no error, the client types generated from it are the committed ones,
 * and a client program on those types type-checks under `tsc --strict` and drives a case's
 * whole life against the real service.
 */
describe('the served OpenAPI description', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let description: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'case-openapi-'));
    file = join(dir, 'openapi.json');
    const answer = await fetch(`${t.baseUrl}/docs/openapi.json`);
    description = (await answer.json()) as Record<string, any>;
    writeFileSync(file, JSON.stringify(description, null, 2));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes Redocly lint with no errors and no warnings', async () => {
    const lint = await run(
      bin('redocly'),
      ['lint', file, '--format=json', `--config=${join(ROOT, 'redocly.yaml')}`],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          REDOCLY_TELEMETRY: 'off',
          REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
          NO_COLOR: '1',
        },
      },
    ).catch((failure: { stdout: string }) => failure);
    const report = JSON.parse(lint.stdout);
    expect(report.problems.map((p: { ruleId: string; message: string }) => p)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  }, 60_000);

  it('is OpenAPI 3.1 with readable operation ids, servers, and public routes marked public', () => {
    expect(description.openapi).toBe('3.1.0');
    expect(description.servers).toEqual([{ url: '/', description: 'This service' }]);
    const operations = Object.values(description.paths).flatMap((item: any) => Object.values(item));
    expect(operations.map((op: any) => op.operationId).sort()).toEqual(
      [
        'assignCase',
        'completeCase',
        'createCase',
        'erasePersonalData',
        'followCaseEvents',
        'getCase',
        'getCaseAuditTrail',
        'getChatParticipant',
        'getLiveness',
        'getMetrics',
        'getProblemType',
        'getReadiness',
        'listCases',
        'listChatParticipants',
        'processCase',
        'queryCase',
        'transferCase',
        'updateCase',
      ].sort(),
    );
    const publicOps = operations.filter((op: any) => op.security.length === 0);
    expect(publicOps.map((op: any) => op.operationId).sort()).toEqual([
      'getLiveness',
      'getMetrics',
      'getProblemType',
      'getReadiness',
    ]);
    for (const op of operations as any[]) {
      for (const response of Object.values(op.responses) as any[]) {
        expect(response.headers['X-Correlation-Id']).toMatchObject({ required: true });
      }
    }
    const text = JSON.stringify(description);
    expect(text).not.toContain('"nullable"');
    expect(text).not.toContain('"type":"number"');
    expect(text).not.toContain('<revision>');
  });

  it('documents the body of every route that reads one, with the 413 and 415 it may answer', () => {
    const withBodies = Object.values(description.paths as Record<string, Record<string, any>>)
      .flatMap((item) => Object.values(item))
      .filter((op: any) => op.requestBody);

    expect(withBodies.map((op: any) => op.operationId).sort()).toEqual(
      [
        'assignCase',
        'completeCase',
        'createCase',
        'erasePersonalData',
        'processCase',
        'queryCase',
        'transferCase',
        'updateCase',
      ].sort(),
    );
    for (const op of withBodies) {
      expect({ op: op.operationId, statuses: Object.keys(op.responses) }).toEqual({
        op: op.operationId,
        statuses: expect.arrayContaining(['413', '415']),
      });
    }
    expect(
      description.paths['/public/v1/helpdesk/personal-data/erasures'].post.requestBody.content[
        'application/json'
      ].schema,
    ).toEqual({ $ref: '#/components/schemas/ErasureRequest' });
  });

  it('closes request bodies and types nullable and free-form fields as the service sends them', () => {
    const { schemas } = description.components;
    for (const name of [
      'CreateCaseRequest',
      'UpdateCaseRequest',
      'ErasureRequest',
      'Queue',
      'Parameter',
    ]) {
      expect({ name, additional: schemas[name].additionalProperties }).toEqual({
        name,
        additional: false,
      });
    }
    expect(schemas.Case.properties.assignee).toEqual({
      anyOf: [{ $ref: '#/components/schemas/Assignee' }, { type: 'null' }],
    });
    expect(schemas.Case.properties.queryPrompt.type).toEqual(['string', 'null']);
    expect(Object.keys(schemas.Parameter.properties.value).sort()).toEqual([
      'description',
      'example',
    ]);
  });

  it('generates the committed client types (regenerate: see docs/decisions.md)', async () => {
    const generated = join(dir, 'case-api.ts');
    await run(bin('openapi-typescript'), [file, '-o', generated], { cwd: ROOT });
    expect(readFileSync(generated, 'utf8')).toBe(
      readFileSync(join(CLIENT_DIR, 'case-api.ts'), 'utf8'),
    );
  }, 60_000);

  it('gives a client program that type-checks under tsc --strict', async () => {
    const check = await run(
      bin('tsc'),
      [
        ...['--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'commonjs'],
        ...['--moduleResolution', 'node', '--esModuleInterop', '--types', 'node'],
        join(CLIENT_DIR, 'case-lifecycle.client.ts'),
      ],
      { cwd: ROOT },
    ).catch((failure: { stdout: string }) => failure);
    expect(check.stdout).toBe('');
  }, 120_000);

  it('gives a client that drives a case through its whole life, lists, audits and reads its chat', async () => {
    const checked: string[] = [];
    const result = await driveLifecycle(t.baseUrl, t.tokens.operations, {
      async onResponse({ request, response }) {
        const url = new URL(request.url);
        const answer = { status: response.status, headers: response.headers };
        const text = await response.clone().text();
        await t.http.assertConforms(request.method, url.pathname + url.search, { ...answer, text });
        checked.push(`${request.method} ${response.status}`);
      },
    });
    expect(checked).toHaveLength(10);
    expect(result.steps).toEqual([
      { status: 'Processing', revision: 1 },
      { status: 'Processing', revision: 2 },
      { status: 'Processing', revision: 3 },
      { status: 'Querying', revision: 4 },
      { status: 'Processing', revision: 5 },
      { status: 'Completed', revision: 6 },
    ]);
    expect(result.etag).toBe('W/"6"');
    expect(result.listTotal).toBe(1);
    expect(result.listed).toEqual([
      { id: expect.any(String), status: 'Completed', queue: { name: 'Billing' } },
    ]);
    expect(result.auditEvents).toEqual([
      'CaseCreated',
      'CaseTransferred',
      'CaseAssigned',
      'CaseQueried',
      'CaseResumed',
      'CaseCompleted',
    ]);
    expect(result.participantRoles).toEqual(['Reporter', 'Assignee']);
    expect(result.participant).toMatchObject({
      id: expect.stringMatching(/^CHP(-\d{4}){3}$/),
      role: 'Reporter',
      identity: { id: 'USR-2000-0001' },
    });
  });
});
