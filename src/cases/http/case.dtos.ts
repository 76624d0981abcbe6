import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsEmail,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
  ArrayMaxSize,
} from 'class-validator';

const id = (prefix: string) => new RegExp(`^(${prefix})(-\\d{4}){2,4}$`);
const idMessage = (prefix: string) => ({ message: `$property must look like ${prefix}-1234-5678` });
const NAME = 200;

export class QueueDto {
  @ApiProperty({ example: 'HQU-1234-1234' })
  @Matches(id('HQU'), idMessage('HQU'))
  id: string;

  @ApiPropertyOptional({ example: 'Business Onboarding' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME)
  name?: string;

  @ApiPropertyOptional({ example: 'HWF-1234-4568' })
  @IsOptional()
  @Matches(id('HWF'), idMessage('HWF'))
  workflow?: string;
}

export class AssigneeDto {
  @ApiProperty({ example: 'USR-6375-2499' })
  @Matches(id('USR|TKN'), idMessage('USR'))
  id: string;

  @ApiPropertyOptional({ example: 'will@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: 'Will' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Smith' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME)
  lastName?: string;
}

export class AccountDto {
  @ApiProperty({ example: 'ACC-6685-9632' })
  @Matches(id('ACC'), idMessage('ACC'))
  id: string;

  @ApiPropertyOptional({ example: 'Stark Industries' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME)
  name?: string;
}

export class ReporterDto {
  @ApiProperty({ example: 'USR-6375-2500' })
  @Matches(id('USR|TKN'), idMessage('USR'))
  id: string;

  @ApiPropertyOptional({ example: 'Jane Doe' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME)
  name?: string;
}

export class ParameterConstraintsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  visibleToReporter?: boolean;
}

export class ParameterDto {
  @ApiProperty({ example: 'PAR-1344-4634' })
  @Matches(id('PAR'), idMessage('PAR'))
  id: string;

  @ApiPropertyOptional({ example: 'Priority' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME)
  name?: string;

  @ApiPropertyOptional({ example: 'Case' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME)
  scope?: string;

  @ApiPropertyOptional({ example: 'request' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME)
  phase?: string;

  @ApiPropertyOptional({ type: ParameterConstraintsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ParameterConstraintsDto)
  constraints?: ParameterConstraintsDto;

  @ApiPropertyOptional({ example: 'ext-id-1234' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME)
  externalId?: string;

  @ApiPropertyOptional({ description: 'Any JSON value', example: 'Priority 1' })
  @Allow()
  value?: unknown;
}

export class ChatMessageDto {
  @ApiProperty({ example: 'Our onboarding form is stuck.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  content: string;
}

export class CreateChatDto {
  @ApiPropertyOptional({ type: ChatMessageDto, description: 'The opening chat message' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ChatMessageDto)
  lastMessage?: ChatMessageDto;
}

const MAX_PARAMETERS = 200;

export class CreateCaseDto {
  @ApiProperty({ type: QueueDto })
  @IsObject()
  @ValidateNested()
  @Type(() => QueueDto)
  queue: QueueDto;

  @ApiPropertyOptional({ type: AccountDto, description: "Defaults to the caller's account" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AccountDto)
  account?: AccountDto;

  @ApiPropertyOptional({ type: ReporterDto, description: 'Defaults to the caller' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReporterDto)
  reporter?: ReporterDto;

  @ApiPropertyOptional({ type: AssigneeDto, nullable: true })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => AssigneeDto)
  assignee?: AssigneeDto | null;

  @ApiPropertyOptional({ type: [ParameterDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PARAMETERS)
  @ValidateNested({ each: true })
  @Type(() => ParameterDto)
  parameters?: ParameterDto[];

  @ApiPropertyOptional({
    type: CreateChatDto,
    description: '`chat.id` and `chat.type` are ignored',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CreateChatDto)
  chat?: CreateChatDto;
}

export class UpdateCaseDto {
  @ApiPropertyOptional({ type: QueueDto, description: 'Transfers the case' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => QueueDto)
  queue?: QueueDto;

  @ApiPropertyOptional({ type: AssigneeDto, nullable: true, description: '`null` unassigns' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => AssigneeDto)
  assignee?: AssigneeDto | null;

  @ApiPropertyOptional({ description: 'Operations only' })
  @IsOptional()
  @IsBoolean()
  awaiting?: boolean;

  @ApiPropertyOptional({ type: [ParameterDto], description: 'Full parameter objects keyed by id' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PARAMETERS)
  @ValidateNested({ each: true })
  @Type(() => ParameterDto)
  parameters?: ParameterDto[];
}

export class TransferCaseDto {
  @ApiProperty({ type: QueueDto })
  @IsObject()
  @ValidateNested()
  @Type(() => QueueDto)
  queue: QueueDto;
}

export class AssignCaseDto {
  @ApiProperty({ type: AssigneeDto, nullable: true, description: '`null` unassigns' })
  @ValidateIf((_, value) => value !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => AssigneeDto)
  assignee: AssigneeDto | null;
}

export class QueryCaseDto {
  @ApiPropertyOptional({
    example: 'Can you please fill in the form with the required information?',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4_000)
  queryPrompt?: string;
}

/** Process and complete take no fields; an empty body or `{}` is fine. */
export class EmptyDto {}
