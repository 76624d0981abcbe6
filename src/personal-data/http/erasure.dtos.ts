import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, Matches, ValidateNested } from 'class-validator';

import { USER_ID } from '../personal-data.erasures';

@ApiSchema({ name: 'ErasureIdentity' })
export class ErasureIdentityDto {
  @ApiProperty({ pattern: USER_ID.source, example: 'USR-1234-5678' })
  @IsString()
  @Matches(USER_ID, { message: 'must be a user id such as USR-1234-5678' })
  id!: string;
}

@ApiSchema({ name: 'ErasureRequest', description: 'The person whose personal data to erase' })
export class ErasureRequestDto {
  @ApiProperty({ type: ErasureIdentityDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ErasureIdentityDto)
  identity!: ErasureIdentityDto;
}

@ApiSchema({
  name: 'Erasure',
  description:
    "The person's erasure: `Erased` once their keys are destroyed (a repeated request answers " +
    'the same record), `NothingToErase` when the service never held data of theirs.',
})
export class ErasureDoc {
  @ApiProperty({ type: ErasureIdentityDto }) identity!: ErasureIdentityDto;
  @ApiProperty({ enum: ['Erased', 'NothingToErase'] }) status!: 'Erased' | 'NothingToErase';
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When the data was (last) erased; null when there was nothing to erase',
  })
  erasedAt!: string | null;
}
