import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BASE_PATH } from '../../common/api-base-path';
import { IdSource } from '../../common/id-source';
import { paginate, parsePage, type Paginated } from '../../common/pagination';
import { CurrentPrincipal } from '../../identity/current-principal.decorator';
import type { Principal } from '../../identity/principal';
import { ExecuteCaseCommand, type CaseIntent } from '../application/case-command.message';
import { GetCaseHistory } from '../application/case-history.query';
import { AUDIT_RECORD_FIELDS, caseFields } from '../rql/case.select-fields';
import { applySelection, parseSelect } from '../rql/select';
import { isOperations } from '../../identity/case-access.policy';
import {
  AssignCaseDto,
  CreateCaseDto,
  READ_ONLY_ON_CREATE,
  READ_ONLY_ON_PUT,
  EmptyDto,
  QueryCaseDto,
  TransferCaseDto,
  UpdateCaseDto,
} from './case.dtos';
import {
  presentAuditTrail,
  presentCase,
  type AuditRecord,
  type PresentedCase,
} from './case.presenter';
import { validateBody } from './case-body';
import {
  ApiCaseCommand,
  ApiCaseResponses,
  ApiProblems,
  IDEMPOTENCY_KEY_HEADER,
} from './case.openapi';
import { CaseCommandRequest, type CommandRequest } from './command-request.decorator';
import { createIntent } from './create-case.mapping';
import {
  etagOf,
  ifNoneMatchHits,
  parseIdempotencyKey,
  parseIfMatch,
  parseRevision,
  requestHash,
} from './http-headers';
import { rawQueryParam, single } from './query-params';

const SELECT_QUERY = {
  name: 'select',
  required: false,
  description:
    'Fields to keep (`id,status,audit.created`; id is always kept) or to drop (`-parameters`); ' +
    '`+field` asks for a field on top of the default, which is already whole. Unknown fields: 400.',
} as const;

type CaseBody = PresentedCase & { $meta?: { ignored: string[] } };

@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({
  name: 'X-Correlation-Id',
  required: false,
  description: 'Echoed back; generated when absent',
})
@Controller('cases')
export class CasesHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly ids: IdSource,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a case' })
  @ApiCaseResponses(201, [400, 403, 409, 413, 415, 422])
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiBody({ type: CreateCaseDto })
  async create(@CaseCommandRequest() request: CommandRequest): Promise<CaseBody> {
    const { body, ignored } = validateBody(CreateCaseDto, request.body, READ_ONLY_ON_CREATE);
    const view = await this.send(
      request,
      createIntent(body, request.principal, this.ids.chatId()),
      body,
    );
    request.reply.status(201).header('Location', `${BASE_PATH}/cases/${view.id}`);
    return this.answer(request, view, ignored);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a case, now or at an earlier revision' })
  @ApiCaseResponses(200, [400, 404])
  @ApiResponse({
    status: 304,
    description: 'Not Modified: If-None-Match names the current ETag; no body',
    headers: { ETag: { description: 'W/"<revision>"', schema: { type: 'string' } } },
  })
  @ApiQuery({ name: 'revision', required: false, type: Number })
  @ApiQuery(SELECT_QUERY)
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag you hold (or a list of them, or `*`): 304 with no body if it is current',
  })
  async get(
    @Param('id') id: string,
    @Query('revision') revision: unknown,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PresentedCase | undefined> {
    const selection = parseSelectParam(request, caseFields(audienceOf(principal)));
    const history = await this.queries.execute(
      new GetCaseHistory(id, principal, parseRevision(single('revision', revision))),
    );
    const view = presentCase(history, principal);
    const etag = etagOf(view.revision);
    reply.header('ETag', etag);
    if (ifNoneMatchHits(ifNoneMatch, etag)) {
      reply.status(304);
      return undefined;
    }
    return applySelection(view, selection);
  }

  @Get(':id/audit')
  @ApiOperation({ summary: "A case's full audit trail, oldest first" })
  @ApiProblems([400, 404])
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiQuery(SELECT_QUERY)
  async audit(
    @Param('id') id: string,
    @Query('limit') limit: unknown,
    @Query('offset') offset: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<Paginated<AuditRecord>> {
    const page = parsePage(single('limit', limit), single('offset', offset));
    const selection = parseSelectParam(request, AUDIT_RECORD_FIELDS);
    const history = await this.queries.execute(new GetCaseHistory(id, principal));
    const trail = paginate(presentAuditTrail(id, history, principal), page);
    return { ...trail, data: trail.data.map((record) => applySelection(record, selection)) };
  }

  @Put(':id')
  @ApiOperation({ summary: 'Change queue, assignee, awaiting and parameters in one atomic update' })
  @ApiCaseCommand()
  @ApiBody({ type: UpdateCaseDto })
  async update(@CaseCommandRequest() request: CommandRequest): Promise<CaseBody> {
    return this.command(request, UpdateCaseDto, 'UpdateCase', READ_ONLY_ON_PUT);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the case to another queue' })
  @ApiCaseCommand()
  @ApiBody({ type: TransferCaseDto })
  async transfer(@CaseCommandRequest() request: CommandRequest): Promise<CaseBody> {
    return this.command(request, TransferCaseDto, 'TransferCase');
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign the case, or unassign it with null' })
  @ApiCaseCommand()
  @ApiBody({ type: AssignCaseDto })
  async assign(@CaseCommandRequest() request: CommandRequest): Promise<CaseBody> {
    return this.command(request, AssignCaseDto, 'AssignCase');
  }

  @Post(':id/query')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask the other side a question (Processing → Querying)' })
  @ApiCaseCommand()
  @ApiBody({ type: QueryCaseDto, required: false })
  async query(@CaseCommandRequest() request: CommandRequest): Promise<CaseBody> {
    return this.command(request, QueryCaseDto, 'QueryCase');
  }

  @Post(':id/process')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer a query (Querying → Processing)' })
  @ApiCaseCommand()
  async process(@CaseCommandRequest() request: CommandRequest): Promise<CaseBody> {
    return this.command(request, EmptyDto, 'ProcessCase');
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete the case (terminal)' })
  @ApiCaseCommand()
  async complete(@CaseCommandRequest() request: CommandRequest): Promise<CaseBody> {
    return this.command(request, EmptyDto, 'CompleteCase');
  }

  private async command(
    request: CommandRequest,
    dto: new () => object,
    type: Exclude<CaseIntent['type'], 'CreateCase'>,
    readOnly: readonly string[] = [],
  ): Promise<CaseBody> {
    const { body, ignored } = validateBody(dto, request.body, readOnly);
    const view = await this.send(request, { type, data: body } as CaseIntent, body);
    return this.answer(request, view, ignored);
  }

  private async send(
    request: CommandRequest,
    intent: CaseIntent,
    body: unknown,
  ): Promise<PresentedCase> {
    const { caseId, principal, correlationId } = request;
    const ifMatch = parseIfMatch(request.ifMatch);
    const idempotencyKey = parseIdempotencyKey(request.idempotencyKey);
    const { history } = await this.commands.execute(
      new ExecuteCaseCommand(caseId, intent, {
        principal,
        correlationId,
        ifMatch,
        idempotencyKey,
        requestHash:
          idempotencyKey === undefined ? undefined : requestHash(intent.type, caseId, body),
      }),
    );
    return presentCase(history, principal);
  }

  private answer({ reply }: CommandRequest, view: PresentedCase, ignored: string[]): CaseBody {
    reply.header('ETag', etagOf(view.revision));
    return ignored.length ? { ...view, $meta: { ignored } } : view;
  }
}

const audienceOf = (principal: Principal) => (isOperations(principal) ? 'operations' : 'account');

function parseSelectParam(request: FastifyRequest, fields: Parameters<typeof parseSelect>[1]) {
  const raw = rawQueryParam(request, 'select');
  return raw === undefined ? undefined : parseSelect(raw, fields);
}
