import { IsInt, IsString, getMetadataStorage, validateSync } from 'class-validator';
import { validateBody } from '../../../src/cases/http/case-body';
import { TransferCaseDto } from '../../../src/cases/http/case.dtos';
import { cacheValidationMetadata } from '../../../src/cases/http/validation-metadata.cache';
import { ValidationFailed } from '../../../src/common/http-errors';
import { QUEUE } from '../../support/case.fixtures';

describe('class-validator metadata, derived once per class', () => {
  beforeAll(() => cacheValidationMetadata());

  it('gives the same rules for a class on every validation', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(TransferCaseDto, '', false, false);
    expect(first.length).toBeGreaterThan(0);
    expect(storage.getTargetValidationMetadatas(TransferCaseDto, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
  });

  it('validates bodies as before: a valid one passes, each bad field is named', () => {
    expect(validateBody(TransferCaseDto, { queue: QUEUE }).value).toEqual({ queue: QUEUE });
    for (let i = 0; i < 2; i++) {
      const error = catchError(() => validateBody(TransferCaseDto, { queue: { id: 7 }, x: 1 }));
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(Object.keys((error as ValidationFailed).errors ?? {}).sort()).toEqual([
        'queue.id',
        'x',
      ]);
    }
  });

  it('sees a rule registered after the class was first validated', () => {
    class Late {
      @IsString() name: unknown = 'ok';
      count: unknown = 'not a number';
    }
    expect(validateSync(new Late())).toEqual([]);
    IsInt()(Late.prototype, 'count');
    expect(validateSync(new Late()).map((e) => e.property)).toEqual(['count']);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}
