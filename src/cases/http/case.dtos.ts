import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsEmailAddress } from './email.validator';

/** Request bodies, validated at the edge (shape only; rules live in the decider). */

/** Case fields a body may carry but not change: ignored and listed in `$meta.ignored`. */
export const READ_ONLY_ON_CREATE = [
  'id',
  'revision',
  'status',
  'audit',
  'queryPrompt',
  'awaiting',
  'chat.id',
  'chat.type',
];
export const READ_ONLY_ON_PUT = [
  'id',
  'revision',
  'status',
  'audit',
  'queryPrompt',
  'chat',
  'account',
  'reporter',
];

const NAME_LENGTH = 200;
const MAX_PARAMETERS = 200;

/** An identifier such as `HQU-1234-1234`: a prefix and two to four groups of four digits. */
function Id(prefixes: string, example: string, optional = false) {
  const pattern = new RegExp(`^(${prefixes})(-\\d{4}){2,4}$`);
  const message = `$property must look like ${example}`;
  return applyDecorators(
    optional
      ? ApiPropertyOptional({ example, pattern: pattern.source })
      : ApiProperty({ example, pattern: pattern.source }),
    ...(optional ? [IsOptional()] : []),
    Matches(pattern, { message }),
  );
}

function OptionalText(example: string, maxLength = NAME_LENGTH) {
  return applyDecorators(
    ApiPropertyOptional({ example, maxLength }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
  );
}

/** A nested object; `nullable` lets `null` through (unassign), `optional` lets it be absent. */
function Nested(
  type: () => new () => object,
  { optional = false, nullable = false, description = '' } = {},
) {
  const doc = { type: type(), nullable, description: description || undefined };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ValidateIf((_, value) => !(value === null && nullable) && !(value === undefined && optional)),
    IsObject(),
    ValidateNested(),
    Type(type),
  );
}

function Parameters(description?: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: [ParameterDto], description }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_PARAMETERS),
    ValidateNested({ each: true }),
    Type(() => ParameterDto),
  );
}

@ApiSchema({ name: 'Queue' })
export class QueueDto {
  @Id('HQU', 'HQU-1234-1234') id: string;
  @OptionalText('Business Onboarding') name?: string;
  @Id('HWF', 'HWF-1234-4568', true) workflow?: string;
}

@ApiSchema({ name: 'Assignee' })
export class AssigneeDto {
  @Id('USR|TKN', 'USR-6375-2499') id: string;

  @ApiPropertyOptional({ example: 'will@example.com' })
  @IsOptional()
  @IsEmailAddress()
  @MaxLength(320)
  email?: string;

  @OptionalText('Will') firstName?: string;
  @OptionalText('Smith') lastName?: string;

  // Answered only, never accepted (no validator: the whitelist refuses it in a body).
  @ApiPropertyOptional({
    readOnly: true,
    enum: ['[erased]', '[unreadable]'],
    description:
      "Only when the person's data was erased (`[erased]`, and no email or names) or cannot be decrypted (`[unreadable]`)",
  })
  declare name?: string;
}

@ApiSchema({ name: 'Account' })
export class AccountDto {
  @Id('ACC', 'ACC-6685-9632') id: string;
  @OptionalText('Stark Industries') name?: string;
}

@ApiSchema({ name: 'Reporter' })
export class ReporterDto {
  @Id('USR|TKN', 'USR-6375-2500') id: string;
  @OptionalText('Jane Doe') name?: string;
}

@ApiSchema({ name: 'ParameterConstraints' })
export class ParameterConstraintsDto {
  @ApiPropertyOptional({ description: 'false hides the parameter from client and vendor callers' })
  @IsOptional()
  @IsBoolean()
  visibleToReporter?: boolean;
}

@ApiSchema({ name: 'Parameter' })
export class ParameterDto {
  @Id('PAR', 'PAR-1344-4634') id: string;
  @OptionalText('Priority') name?: string;
  @OptionalText('Case') scope?: string;
  @OptionalText('request') phase?: string;
  @Nested(() => ParameterConstraintsDto, { optional: true }) constraints?: ParameterConstraintsDto;
  @OptionalText('ext-id-1234') externalId?: string;

  // `{}` is the JSON Schema of any value: a string, a number, an object, an array or null.
  @ApiPropertyOptional({ oneOf: [{}], description: 'Any JSON value', example: 'Priority 1' })
  @Allow()
  value?: unknown;
}

@ApiSchema({ name: 'ChatMessage' })
export class ChatMessageDto {
  @ApiProperty({ example: 'Our onboarding form is stuck.', maxLength: 10_000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  content: string;
}

@ApiSchema({ name: 'CreateChat' })
export class CreateChatDto {
  @Nested(() => ChatMessageDto, { optional: true, description: 'The opening chat message' })
  lastMessage?: ChatMessageDto;
}

@ApiSchema({ name: 'CreateCaseRequest' })
export class CreateCaseDto {
  @Nested(() => QueueDto) queue: QueueDto;

  @Nested(() => AccountDto, { optional: true, description: "Defaults to the caller's account" })
  account?: AccountDto;

  @Nested(() => ReporterDto, { optional: true, description: 'Defaults to the caller' })
  reporter?: ReporterDto;

  @Nested(() => AssigneeDto, { optional: true, nullable: true }) assignee?: AssigneeDto | null;
  @Parameters() parameters?: ParameterDto[];

  @Nested(() => CreateChatDto, {
    optional: true,
    description: '`chat.id` and `chat.type` are ignored',
  })
  chat?: CreateChatDto;
}

@ApiSchema({ name: 'UpdateCaseRequest' })
export class UpdateCaseDto {
  @Nested(() => QueueDto, { optional: true, description: 'Transfers the case' }) queue?: QueueDto;

  @Nested(() => AssigneeDto, { optional: true, nullable: true, description: '`null` unassigns' })
  assignee?: AssigneeDto | null;

  @ApiPropertyOptional({ description: 'Operations only' })
  @IsOptional()
  @IsBoolean()
  awaiting?: boolean;

  @Parameters('Full parameter objects keyed by id') parameters?: ParameterDto[];
}

@ApiSchema({ name: 'TransferCaseRequest' })
export class TransferCaseDto {
  @Nested(() => QueueDto) queue: QueueDto;
}

@ApiSchema({ name: 'AssignCaseRequest' })
export class AssignCaseDto {
  @Nested(() => AssigneeDto, { nullable: true, description: '`null` unassigns' })
  assignee: AssigneeDto | null;
}

@ApiSchema({ name: 'QueryCaseRequest' })
export class QueryCaseDto {
  @OptionalText('Can you please fill in the form with the required information?', 4_000)
  queryPrompt?: string;
}

/** Process and complete take no fields; an empty body or `{}` is fine. */
@ApiSchema({ name: 'EmptyRequest' })
export class EmptyDto {}
