import { participantId } from '../../../src/cases/projections/participant-id';
import {
  compileParticipantQuery,
  listParticipants,
} from '../../../src/cases/rql/participant-list.query';

const participant = (role: string, identityId: string, at: string) => ({
  id: participantId('CHT-1', role, identityId),
  identity: { id: identityId },
  role,
  audit: { created: { at } },
});
const REPORTER = participant('Reporter', 'USR-1', '2026-01-01T00:00:00.000Z');
const FIRST = participant('Assignee', 'USR-2', '2026-01-02T00:00:00.000Z');
const SECOND = participant('Assignee', 'USR-3', '2026-01-03T00:00:00.000Z');
const JOINED = [REPORTER, FIRST, SECOND];

describe('participant ids', () => {
  it('are CHP- and three groups of four digits, the same every time', () => {
    expect(participantId('CHT-1', 'Reporter', 'USR-1')).toMatch(/^CHP-\d{4}-\d{4}-\d{4}$/);
    expect(participantId('CHT-1', 'Reporter', 'USR-1')).toBe(REPORTER.id);
  });

  it('differ by chat, role and identity', () => {
    const ids = new Set([
      participantId('CHT-1', 'Reporter', 'USR-1'),
      participantId('CHT-2', 'Reporter', 'USR-1'),
      participantId('CHT-1', 'Assignee', 'USR-1'),
      participantId('CHT-1', 'Reporter', 'USR-2'),
    ]);
    expect(ids.size).toBe(4);
  });
});

describe('the participants query', () => {
  it.each<[string, object[]]>([
    ['', JOINED],
    ['order=-audit.created.at', [SECOND, FIRST, REPORTER]],
    ['order=-role', [REPORTER, FIRST, SECOND]],
    ['order=role,-audit.created.at', [SECOND, FIRST, REPORTER]],
    ['order=+identity.id&limit=2&offset=1', [FIRST, SECOND]],
    ['select=role&limit=1', [{ id: REPORTER.id, role: 'Reporter' }]],
  ])('%s', (query, expected) => {
    expect(listParticipants(JOINED, compileParticipantQuery(query)).data).toEqual(expected);
  });

  it('answers the envelope with the total before paging', () => {
    expect(listParticipants(JOINED, compileParticipantQuery('limit=1')).$meta).toEqual({
      pagination: { offset: 0, limit: 1, total: 3 },
    });
  });

  it.each([
    ['role=Reporter', 'Invalid RQL at character 1: participants take only order'],
    ['limit=1&eq(role,Reporter)', 'Invalid RQL at character 9: participants take only order'],
    ['order=identity.name', 'participants cannot be ordered by "identity.name"'],
    ['select=colour', 'Invalid select: unknown field "colour"'],
  ])('refuses %s', (query, detail) => {
    expect(() => compileParticipantQuery(query)).toThrow(detail);
  });
});
