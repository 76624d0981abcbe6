import { Controller, Get, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiPageQuery } from '../../common/openapi.shapes';
import { CasePage } from './case.openapi';
import { SELECT_QUERY } from './case.openapi.routes';
import type { FastifyRequest } from 'fastify';
import type { Paginated } from '../../common/pagination';
import { CurrentPrincipal } from '../../identity/current-principal.decorator';
import type { Principal } from '../../identity/principal';
import { rawQueryOf } from '../../common/query-params';
import type { PresentedCase } from '../access/case-visibility';
import { ListCases } from '../projections/read-model.queries';
import { FIELD_NAMES } from '../rql/case-list.fields';

const RQL_HELP =
  'Filter with RQL: `field=value`, or eq, ne, gt, ge, lt, le, in, out, like, ilike (`*` ' +
  "wildcard), and, or, not, e.g. `and(eq(status,'Querying'),ilike(queue.name,'*Onboarding*'))` " +
  'or `in(status,(Processing,Querying))`; values may be quoted with \' or " (needed for ' +
  'spaces, commas and parentheses); `eq(assignee.id,null())` finds unassigned cases. ' +
  '`select=` keeps fields (`select=id,status,audit.created`) or drops them (`select=-parameters`). ' +
  `Fields: ${FIELD_NAMES.join(', ')} (awaiting for operations only). Status matches any letter ` +
  'case. Clients and vendors see their own account only. The list comes from a read model and ' +
  'may lag the latest commands slightly.';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesListHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ operationId: 'listCases', summary: 'List cases with RQL', description: RQL_HELP })
  @ApiQuery({
    name: 'rql',
    required: false,
    description:
      'The RQL query: the whole query string is the query, so this stands for free-form ' +
      'terms, not a parameter named `rql`. Send each term as it is, percent-encoded or not, ' +
      'with no `=` after it (a term followed by `=` is a 400): ' +
      "`?and(eq(status,'Querying'),ilike(queue.name,'*Onboarding*'))&order=-audit.created.at`; " +
      '`field=value` terms are ordinary pairs.',
    style: 'form',
    explode: true,
    schema: { type: 'object', additionalProperties: { type: 'string' } },
    examples: {
      quoted: { summary: 'A quoted value', value: { "eq(id,'CAS-1234-5678-9012')": '' } },
      combined: {
        summary: 'Status and queue',
        value: { "and(eq(status,'Querying'),ilike(queue.name,'*Onboarding*'))": '' },
      },
      plain: { summary: 'field=value', value: { status: 'Processing' } },
      unassigned: { summary: 'No assignee', value: { 'eq(assignee.id,null())': '' } },
    },
  })
  @ApiQuery({
    name: 'order',
    required: false,
    schema: { type: 'string' },
    description: 'e.g. `-audit.updated.at,id`; default `audit.created.at`',
  })
  @ApiPageQuery()
  @ApiQuery(SELECT_QUERY)
  @ApiOkResponse({ type: CasePage, description: 'A page of cases (selected fields only)' })
  @ApiAuthenticated(400)
  list(
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Paginated<Partial<PresentedCase>>> {
    return this.queries.execute(new ListCases(rawQueryOf(request), principal));
  }
}
