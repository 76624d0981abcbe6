import type { PipeTransform } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { validateBody, type ValidatedBody } from './case-body';

/**
 * `@Body(new CaseBodyPipe(Dto, readOnlyFields))`: the body validated against its DTO, with the
 * read-only Case fields it carried dropped and listed (they are answered in `$meta.ignored`).
 */
export class CaseBodyPipe<T extends object> implements PipeTransform<unknown, ValidatedBody<T>> {
  constructor(
    private readonly dto: ClassConstructor<T>,
    private readonly readOnly: readonly string[] = [],
  ) {}

  transform(value: unknown): ValidatedBody<T> {
    return validateBody(this.dto, value, this.readOnly);
  }
}
