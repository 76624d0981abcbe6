import { BadRequest, ValidationFailed } from '../../src/common/http-errors';
import { parseFeedRequest } from '../../src/feed/feed-request';

describe('parseFeedRequest', () => {
  it('starts at the first event when no resume point is given', () => {
    expect(parseFeedRequest({})).toEqual({});
  });

  it('resumes after ?after= or Last-Event-ID, as a bigint', () => {
    expect(parseFeedRequest({ after: '42' })).toEqual({ after: 42n });
    expect(parseFeedRequest({ lastEventId: '9223372036854775807' })).toEqual({
      after: 9223372036854775807n,
    });
    expect(parseFeedRequest({ after: '0' })).toEqual({ after: 0n });
  });

  it('prefers Last-Event-ID over ?after= when both are given', () => {
    expect(parseFeedRequest({ after: '5', lastEventId: '9' })).toEqual({ after: 9n });
  });

  it('treats an empty Last-Event-ID as none', () => {
    expect(parseFeedRequest({ after: '5', lastEventId: '' })).toEqual({ after: 5n });
  });

  it.each([
    'abc',
    '-1',
    '1.5',
    '01',
    ' ',
    '1e3',
    // 2^63, the first past a signed 64-bit position, up to 2^64 - 1 and beyond.
    '9223372036854775808',
    '18446744073709551615',
    '18446744073709551616',
    '123456789012345678901',
  ])('refuses the malformed position "%s"', (raw) => {
    expect(() => parseFeedRequest({ after: raw })).toThrow(ValidationFailed);
    expect(() => parseFeedRequest({ lastEventId: `${raw}x` })).toThrow(/Last-Event-ID must be/);
  });

  it('refuses a malformed ?after= even when Last-Event-ID is fine', () => {
    expect(() => parseFeedRequest({ after: 'abc', lastEventId: '3' })).toThrow(/after must be/);
  });

  it('refuses a repeated parameter or header', () => {
    expect(() => parseFeedRequest({ after: ['1', '2'] })).toThrow(BadRequest);
    expect(() => parseFeedRequest({ lastEventId: ['1', '2'] })).toThrow(BadRequest);
  });

  it('filters by the named event types', () => {
    const { types } = parseFeedRequest({ types: 'CaseCreated, CaseQueried' });
    expect(types).toEqual(new Set(['CaseCreated', 'CaseQueried']));
  });

  it('names every unknown type', () => {
    const parse = () => parseFeedRequest({ types: 'CaseCreated,CaseDeleted,,casequeried' });
    expect(parse).toThrow(ValidationFailed);
    expect(parse).toThrow(
      'types names unknown event types: "CaseDeleted", (empty), "casequeried".',
    );
  });
});
