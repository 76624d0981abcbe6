import {
  Body,
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
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BASE_PATH } from '../../common/api-base-path';
import { IdSource } from '../../common/id-source';
import { paginate, parsePage, type Paginated } from '../../common/pagination';
import { CurrentPrincipal } from '../../identity/current-principal.decorator';
import type { Principal } from '../../identity/principal';
import { audienceOf } from '../access/case-access.policy';
import { narrowCaseView, type PresentedCase } from '../access/case-visibility';
import type { AuditRecord } from '../application/case-audit-trail';
import {
  ChangeCase,
  OpenCase,
  type CaseChange,
  type CaseCommandResult,
} from '../application/case-command.messages';
import { caseViewFor } from '../application/case.fold';
import { GetCase, GetCaseAuditTrail } from '../application/case.queries';
import { AUDIT_RECORD_FIELDS, caseFields } from '../rql/case.select-fields';
import { applySelection, parseSelect } from '../rql/select';
import type { ValidatedBody } from './case-body';
import { CaseBodyPipe } from './case-body.pipe';
import {
  AssignCaseDto,
  CreateCaseDto,
  EmptyDto,
  QueryCaseDto,
  READ_ONLY_ON_CREATE,
  READ_ONLY_ON_PUT,
  TransferCaseDto,
  UpdateCaseDto,
} from './case.dtos';
import { AuditRecordDoc, AuditTrailPage, CaseDoc } from './case.openapi';
import {
  ApiCaseCommand,
  ApiCaseResponses,
  CASE_ID_PARAM,
  IDEMPOTENCY_KEY_HEADER,
  SELECT_QUERY,
} from './case.openapi.routes';
import { ApiAuthenticated, ApiPageQuery, HEADERS, INTEGER } from '../../common/openapi.shapes';
import { CommandRequestHeaders, type CommandHeaders } from './command-context.decorator';
import { createCaseData } from './create-case.mapping';
import { etagOf, ifNoneMatchHits, parseRevision, requestHash } from './http-headers';
import { rawQueryParam, single } from '../../common/query-params';

type CaseBody = PresentedCase & { $meta?: { ignored: string[] } };

@ApiTags('cases')
@ApiBearerAuth()
@ApiExtraModels(CaseDoc, AuditRecordDoc)
@Controller('cases')
export class CasesHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly ids: IdSource,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'createCase', summary: 'Create a case' })
  @ApiCaseResponses(201, 400, 403, 409, 413, 415, 422)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiBody({ type: CreateCaseDto })
  async create(
    @Body(new CaseBodyPipe(CreateCaseDto, READ_ONLY_ON_CREATE)) body: ValidatedBody<CreateCaseDto>,
    @CommandRequestHeaders() headers: CommandHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseBody> {
    const data = createCaseData(body.value, headers.principal, this.ids.chatId());
    const result = await this.commands.execute(
      new OpenCase(data, {
        ...headers,
        requestHash: hashOf(headers, 'CreateCase', undefined, body),
      }),
    );
    const answer = this.answer(result, headers, body, reply);
    reply.status(201).header('Location', `${BASE_PATH}/cases/${answer.id}`);
    return answer;
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getCase', summary: 'Read a case, now or at an earlier revision' })
  @ApiResponse({
    status: 200,
    description: 'The case (only the selected fields with `select`)',
    schema: { $ref: getSchemaPath('CaseSelection') },
    headers: { ETag: { ...HEADERS.etag, required: true } },
  })
  @ApiResponse({
    status: 304,
    description: 'Not Modified: If-None-Match names the current ETag; no body',
    headers: { ETag: { ...HEADERS.etag, required: true } },
  })
  @ApiAuthenticated(400, 404)
  @ApiParam(CASE_ID_PARAM)
  @ApiQuery({ name: 'revision', required: false, schema: { ...INTEGER, minimum: 1 } })
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
  ): Promise<Partial<PresentedCase> | undefined> {
    const selection = parseSelectParam(request, caseFields(audienceOf(principal)));
    const view = await this.queries.execute(
      new GetCase(id, principal, parseRevision(single('revision', revision))),
    );
    const etag = etagOf(view.revision);
    reply.header('ETag', etag);
    if (ifNoneMatchHits(ifNoneMatch, etag)) {
      reply.status(304);
      return undefined;
    }
    return applySelection(view, selection);
  }

  @Get(':id/audit')
  @ApiOperation({
    operationId: 'getCaseAuditTrail',
    summary: "A case's full audit trail, oldest first",
  })
  @ApiOkResponse({ type: AuditTrailPage, description: 'A page of audit records' })
  @ApiAuthenticated(400, 404)
  @ApiParam(CASE_ID_PARAM)
  @ApiPageQuery()
  @ApiQuery(SELECT_QUERY)
  async audit(
    @Param('id') id: string,
    @Query('limit') limit: unknown,
    @Query('offset') offset: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<Paginated<Partial<AuditRecord>>> {
    const page = parsePage(single('limit', limit), single('offset', offset));
    const selection = parseSelectParam(request, AUDIT_RECORD_FIELDS);
    const trail = paginate(await this.queries.execute(new GetCaseAuditTrail(id, principal)), page);
    return { ...trail, data: trail.data.map((record) => applySelection(record, selection)) };
  }

  @Put(':id')
  @ApiOperation({
    operationId: 'updateCase',
    summary: 'Change queue, assignee, awaiting and parameters in one atomic update',
  })
  @ApiCaseCommand()
  @ApiBody({ type: UpdateCaseDto })
  update(
    @Param('id') id: string,
    @Body(new CaseBodyPipe(UpdateCaseDto, READ_ONLY_ON_PUT)) body: ValidatedBody<UpdateCaseDto>,
    @CommandRequestHeaders() headers: CommandHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseBody> {
    return this.change({ type: 'UpdateCase', caseId: id, data: body.value }, body, headers, reply);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOperation({ operationId: 'transferCase', summary: 'Move the case to another queue' })
  @ApiCaseCommand()
  @ApiBody({ type: TransferCaseDto })
  transfer(
    @Param('id') id: string,
    @Body(new CaseBodyPipe(TransferCaseDto)) body: ValidatedBody<TransferCaseDto>,
    @CommandRequestHeaders() headers: CommandHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseBody> {
    return this.change(
      { type: 'TransferCase', caseId: id, data: body.value },
      body,
      headers,
      reply,
    );
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ operationId: 'assignCase', summary: 'Assign the case, or unassign it with null' })
  @ApiCaseCommand()
  @ApiBody({ type: AssignCaseDto })
  assign(
    @Param('id') id: string,
    @Body(new CaseBodyPipe(AssignCaseDto)) body: ValidatedBody<AssignCaseDto>,
    @CommandRequestHeaders() headers: CommandHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseBody> {
    return this.change({ type: 'AssignCase', caseId: id, data: body.value }, body, headers, reply);
  }

  @Post(':id/query')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'queryCase',
    summary: 'Ask the other side a question (Processing → Querying)',
  })
  @ApiCaseCommand()
  @ApiBody({ type: QueryCaseDto, required: false })
  query(
    @Param('id') id: string,
    @Body(new CaseBodyPipe(QueryCaseDto)) body: ValidatedBody<QueryCaseDto>,
    @CommandRequestHeaders() headers: CommandHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseBody> {
    return this.change({ type: 'QueryCase', caseId: id, data: body.value }, body, headers, reply);
  }

  @Post(':id/process')
  @HttpCode(200)
  @ApiOperation({ operationId: 'processCase', summary: 'Answer a query (Querying → Processing)' })
  @ApiCaseCommand()
  @ApiBody({ type: EmptyDto, required: false, description: 'No fields; `{}` or no body' })
  process(
    @Param('id') id: string,
    @Body(new CaseBodyPipe(EmptyDto)) body: ValidatedBody<EmptyDto>,
    @CommandRequestHeaders() headers: CommandHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseBody> {
    return this.change({ type: 'ProcessCase', caseId: id, data: {} }, body, headers, reply);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ operationId: 'completeCase', summary: 'Complete the case (terminal)' })
  @ApiCaseCommand()
  @ApiBody({ type: EmptyDto, required: false, description: 'No fields; `{}` or no body' })
  complete(
    @Param('id') id: string,
    @Body(new CaseBodyPipe(EmptyDto)) body: ValidatedBody<EmptyDto>,
    @CommandRequestHeaders() headers: CommandHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseBody> {
    return this.change({ type: 'CompleteCase', caseId: id, data: {} }, body, headers, reply);
  }

  private async change(
    command: CaseChange,
    body: ValidatedBody<object>,
    headers: CommandHeaders,
    reply: FastifyReply,
  ): Promise<CaseBody> {
    const requestHash = hashOf(headers, command.type, command.caseId, body);
    const result = await this.commands.execute(
      new ChangeCase(command, { ...headers, requestHash }),
    );
    return this.answer(result, headers, body, reply);
  }

  /** The case as this caller may see it at the revision the command produced, with its ETag. */
  private answer(
    { fold }: CaseCommandResult,
    { principal }: CommandHeaders,
    { ignored }: ValidatedBody<object>,
    reply: FastifyReply,
  ): CaseBody {
    const audience = audienceOf(principal);
    const view = narrowCaseView(caseViewFor(fold, audience)!, audience);
    reply.header('ETag', etagOf(view.revision));
    return ignored.length ? { ...view, $meta: { ignored } } : view;
  }
}

/** Only requests with an `Idempotency-Key` need telling a retry from a reuse. */
function hashOf(
  { idempotencyKey }: CommandHeaders,
  type: string,
  caseId: string | undefined,
  { value }: ValidatedBody<object>,
): string | undefined {
  return idempotencyKey === undefined ? undefined : requestHash(type, caseId, value);
}

function parseSelectParam(request: FastifyRequest, fields: Parameters<typeof parseSelect>[1]) {
  const raw = rawQueryParam(request, 'select');
  return raw === undefined ? undefined : parseSelect(raw, fields);
}
