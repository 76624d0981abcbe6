import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { PresentedCase } from '../access/case-visibility';
import type { AuditRecord } from '../application/case-audit-trail';
import type { AuditEntry, CaseAudit } from '../domain/case.view';
import type { Chat } from '../domain/case.values';
import type { ChatParticipant } from '../projections/case-read-model.reader';
import { AccountDto, AssigneeDto, ParameterDto, QueueDto, ReporterDto } from './case.dtos';
import { ApiPage, INTEGER } from '../../common/openapi.shapes';

/**
 * Response shapes for the OpenAPI description. Each class `implements` the type its presenter
 * returns, so a field the presenters add, drop or retype fails the build here; the e2e suite
 * validates every answer against the served description, so a wrong claim fails a test.
 */

@ApiSchema({ name: 'AuditActor' })
class AuditActorDoc {
  @ApiProperty({ example: 'USR-6375-2500' }) id: string;
  @ApiProperty({ example: 'Jane Doe' }) name: string;
}

@ApiSchema({ name: 'AuditEntry' })
class AuditEntryDoc implements AuditEntry {
  @ApiProperty({ format: 'date-time', example: '2026-11-24T10:00:00.000Z' }) at: string;
  @ApiProperty({ type: AuditActorDoc }) by: AuditActorDoc;
  @ApiProperty({ type: AuditActorDoc, description: "The actor's account" }) of: AuditActorDoc;
}

@ApiSchema({ name: 'CaseAudit' })
class CaseAuditDoc implements CaseAudit {
  @ApiPropertyOptional({ type: AuditEntryDoc }) created?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc, description: 'Every change, creation included' })
  updated?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc }) transferred?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc, description: 'Assign and unassign' })
  assigned?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc }) queried?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc }) processed?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc }) completed?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc, description: 'Operations only' })
  awaitingChanged?: AuditEntryDoc;
}

@ApiSchema({ name: 'Chat' })
class ChatDoc implements Chat {
  @ApiProperty({ example: 'CHT-1111-2222-3333' }) id: string;
  @ApiProperty({ enum: ['case'] }) type: 'case';
}

@ApiSchema({ name: 'CaseMeta' })
class CaseMetaDoc {
  @ApiProperty({ type: [String], description: 'Read-only fields of the request that were ignored' })
  ignored: string[];
}

@ApiSchema({ name: 'Case', description: 'A case as the caller may see it' })
export class CaseDoc implements PresentedCase {
  @ApiProperty({ example: 'CAS-1234-5678-9012', pattern: '^CAS(-\\d{4}){3}$' }) id: string;
  @ApiProperty({ ...INTEGER, example: 3, description: 'Events in the case history; the ETag' })
  revision: number;
  @ApiProperty({ enum: ['Processing', 'Querying', 'Completed'] })
  status: 'Processing' | 'Querying' | 'Completed';
  @ApiPropertyOptional({ description: 'Operations only' }) awaiting?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Set while Querying' })
  queryPrompt?: string | null;
  @ApiProperty({ type: QueueDto }) queue: QueueDto;
  @ApiProperty({ type: AssigneeDto, nullable: true }) assignee: AssigneeDto | null;
  @ApiProperty({ type: AccountDto }) account: AccountDto;
  @ApiProperty({ type: ReporterDto }) reporter: ReporterDto;
  @ApiProperty({ type: ChatDoc }) chat: ChatDoc;
  @ApiProperty({ type: [ParameterDto] }) parameters: ParameterDto[];
  @ApiProperty({ type: CaseAuditDoc }) audit: CaseAuditDoc;
  @ApiPropertyOptional({ type: CaseMetaDoc, name: '$meta', description: 'Only on commands' })
  $meta?: CaseMetaDoc;
}

@ApiSchema({ name: 'AuditRecordAccount' })
class AuditRecordAccountDoc {
  @ApiProperty({ example: 'ACC-6685-9632' }) id: string;
  @ApiProperty({ example: 'Stark Industries' }) name: string;
  @ApiProperty({ enum: ['operations', 'client', 'vendor'] }) accountType: string;
}

@ApiSchema({ name: 'AuditRecordActor' })
class AuditRecordActorDoc {
  @ApiProperty({ example: 'USR-6375-2500' }) id: string;
  @ApiProperty({ example: 'Jane Doe' }) name: string;
  @ApiProperty({ type: AuditRecordAccountDoc }) account: AuditRecordAccountDoc;
}

@ApiSchema({ name: 'AuditRecordObject' })
class AuditRecordObjectDoc {
  @ApiProperty({ example: 'CAS-1234-5678-9012' }) id: string;
  @ApiProperty({ enum: ['Case'] }) objectType: 'Case';
  @ApiProperty(INTEGER) revision: number;
}

@ApiSchema({ name: 'RequestLog' })
class RequestLogDoc {
  @ApiProperty({ description: 'The X-Correlation-Id of the request' }) correlationId: string;
}

@ApiSchema({ name: 'AuditRecordRequest' })
class AuditRecordRequestDoc {
  @ApiProperty({ type: RequestLogDoc }) log: RequestLogDoc;
}

@ApiSchema({ name: 'AuditRecord', description: 'One event of the case, as the caller may see it' })
export class AuditRecordDoc implements AuditRecord {
  @ApiProperty({ description: 'The event id' }) id: string;
  @ApiProperty(INTEGER) revision: number;
  @ApiProperty({ example: 'CaseCreated' }) event: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: AuditRecordActorDoc }) actor: AuditRecordActorDoc;
  @ApiProperty({ type: AuditRecordObjectDoc }) object: AuditRecordObjectDoc;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's data (docs/event-contract.md)",
  })
  details: unknown;
  @ApiProperty({ type: AuditRecordRequestDoc }) request: AuditRecordRequestDoc;
}

@ApiSchema({ name: 'ParticipantCreated' })
class ParticipantCreatedDoc {
  @ApiProperty({ format: 'date-time' }) at: string;
}

@ApiSchema({ name: 'ParticipantAudit' })
class ParticipantAuditDoc {
  @ApiProperty({ type: ParticipantCreatedDoc }) created: ParticipantCreatedDoc;
}

@ApiSchema({ name: 'ChatParticipant' })
export class ChatParticipantDoc implements ChatParticipant {
  @ApiProperty({ example: 'CHP-1234-5678-9012', pattern: '^CHP(-\\d{4}){3}$' }) id: string;
  @ApiProperty({
    description: 'The reporter or the assignee',
    anyOf: [{ $ref: getSchemaPath(ReporterDto) }, { $ref: getSchemaPath(AssigneeDto) }],
  })
  identity: ReporterDto | AssigneeDto;
  @ApiProperty({ enum: ['Reporter', 'Assignee'] }) role: 'Reporter' | 'Assignee';
  @ApiProperty({ type: ParticipantAuditDoc }) audit: ParticipantAuditDoc;
}

/** `select=` may keep any subset of fields: lists and reads answer selections (only `id` sure). */
export const CasePage = ApiPage('CasePage', 'CaseSelection');
export const AuditTrailPage = ApiPage('AuditTrailPage', 'AuditRecordSelection');
export const ParticipantPage = ApiPage('ChatParticipantPage', 'ChatParticipantSelection');
