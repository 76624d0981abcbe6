import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './case-api';

/**
 * A client program as a platform integrator would write it, against nothing but the types
 * generated from the served OpenAPI description (`case-api.ts`): no casts, no `any`. It must
 * type-check under `tsc --strict`; the description spec runs it against the real service.
 */

type Case = components['schemas']['Case'];

export interface LifecycleResult {
  readonly steps: readonly { readonly status: Case['status']; readonly revision: number }[];
  readonly etag: string | null;
  readonly listed: readonly components['schemas']['CaseSelection'][];
  readonly listTotal: number;
  readonly auditEvents: readonly (string | undefined)[];
  readonly participantRoles: readonly ('Reporter' | 'Assignee')[];
  readonly participant: components['schemas']['ChatParticipant'];
}

/** The RQL terms go into the query string as they are; other parameters are encoded. */
function querySerializer(query: Record<string, unknown>): string {
  return Object.entries(query)
    .flatMap(([name, value]) => {
      if (name === 'rql' && typeof value === 'object' && value !== null) {
        return Object.entries(value).map(([term, v]) => (v === '' ? term : `${term}=${v}`));
      }
      return value === undefined ? [] : [`${name}=${encodeURIComponent(String(value))}`];
    })
    .join('&');
}

function ok<T>(answer: { data?: T; error?: unknown; response: Response }, step: string): T {
  if (answer.data === undefined) {
    throw new Error(`${step}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

export async function driveLifecycle(
  baseUrl: string,
  token: string,
  ...middleware: Middleware[]
): Promise<LifecycleResult> {
  const api = createClient<paths>({
    baseUrl,
    headers: { authorization: `Bearer ${token}` },
    querySerializer,
  });
  api.use(...middleware);
  const base = '/public/v1/helpdesk';
  const created = ok(
    await api.POST(`${base}/cases`, {
      body: {
        queue: { id: 'HQU-1234-1234', name: 'Business Onboarding' },
        account: { id: 'ACC-2000-0000', name: 'Stark Industries' },
        reporter: { id: 'USR-2000-0001', name: 'Jane Doe' },
        assignee: null,
        parameters: [{ id: 'PAR-1344-4634', name: 'Priority', value: 'Priority 1' }],
        chat: { lastMessage: { content: 'Our onboarding form is stuck.' } },
      },
    }),
    'create',
  );
  const path = { id: created.id };
  const steps: Case[] = [created];
  steps.push(
    ok(
      await api.POST(`${base}/cases/{id}/transfer`, {
        params: { path },
        body: { queue: { id: 'HQU-5555-6666', name: 'Billing' } },
      }),
      'transfer',
    ),
  );
  steps.push(
    ok(
      await api.POST(`${base}/cases/{id}/assign`, {
        params: { path },
        body: { assignee: { id: 'USR-6375-2499', firstName: 'Will' } },
      }),
      'assign',
    ),
  );
  steps.push(
    ok(
      await api.POST(`${base}/cases/{id}/query`, {
        params: { path, header: { 'If-Match': `W/"${steps.length}"` } },
        body: { queryPrompt: 'Which plan are you on?' },
      }),
      'query',
    ),
  );
  steps.push(ok(await api.POST(`${base}/cases/{id}/process`, { params: { path } }), 'process'));
  const completed = await api.POST(`${base}/cases/{id}/complete`, { params: { path } });
  steps.push(ok(completed, 'complete'));

  const list = ok(
    await api.GET(`${base}/cases`, {
      params: {
        query: { rql: { [`eq(id,'${created.id}')`]: '' }, select: 'id,status,queue.name' },
      },
    }),
    'list',
  );
  const audit = ok(
    await api.GET(`${base}/cases/{id}/audit`, {
      params: { path, query: { select: 'event,at', limit: 100 } },
    }),
    'audit',
  );
  const chat = { chatId: created.chat.id };
  const participants = ok(
    await api.GET(`${base}/chats/{chatId}/participants`, { params: { path: chat } }),
    'participants',
  );
  const first = participants.data[0];
  const participant = ok(
    await api.GET(`${base}/chats/{chatId}/participants/{participantId}`, {
      params: { path: { ...chat, participantId: first?.id ?? 'CHP-0000-0000-0000' } },
    }),
    'participant',
  );
  return {
    steps: steps.map(({ status, revision }) => ({ status, revision })),
    etag: completed.response.headers.get('etag'),
    listed: list.data,
    listTotal: list.$meta.pagination.total,
    auditEvents: audit.data.map((record) => record.event),
    participantRoles: participants.data.flatMap((p) => (p.role ? [p.role] : [])),
    participant,
  };
}
