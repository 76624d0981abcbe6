import {
  UpcasterRegistry,
  type MetadataUpcaster,
  type Upcaster,
} from '../../../src/cases/contract/upcaster.registry';

/** Metadata upcasters: one step per version for every event type, beside the data steps. */
describe('UpcasterRegistry, metadata steps', () => {
  const renameUser: MetadataUpcaster = {
    target: 'metadata',
    fromVersion: 1,
    reason: 'v2 calls the user the actor',
    upcast: ({ user, ...rest }) => ({ ...rest, actor: user }),
  };
  const renameTitle: Upcaster = {
    type: 'Noted',
    fromVersion: 1,
    reason: 'v2 calls it subject',
    upcast: (data) => ({ subject: (data as { title: string }).title }),
  };
  const stored = { data: { title: 'Hi' }, metadata: { schemaVersion: 0, user: 'u-1' } };

  it('runs the metadata step for every type, beside that type’s data steps, and stamps the current version', () => {
    const registry = new UpcasterRegistry(3, [renameUser, renameTitle]);
    expect(registry.upcastEvent('Noted', 0, stored)).toEqual({
      data: { subject: 'Hi' },
      metadata: { schemaVersion: 3, actor: 'u-1' },
    });
    expect(registry.upcastEvent('Other', 0, stored)).toEqual({
      data: { title: 'Hi' },
      metadata: { schemaVersion: 3, actor: 'u-1' },
    });
  });

  it('starts at the stored version: metadata already past a step is not changed by it', () => {
    const registry = new UpcasterRegistry(3, [renameUser]);
    const v2 = { data: {}, metadata: { schemaVersion: 2, actor: 'u-1', user: 'kept' } };
    expect(registry.upcastEvent('Noted', 2, v2)).toEqual({
      data: {},
      metadata: { schemaVersion: 3, actor: 'u-1', user: 'kept' },
    });
  });

  it('returns current and newer events as they are, and never changes the stored one', () => {
    const registry = new UpcasterRegistry(2, [renameUser]);
    const current = { data: {}, metadata: { schemaVersion: 2, user: 'u-1' } };
    expect(registry.upcastEvent('Noted', 2, current)).toBe(current);
    expect(registry.upcastEvent('Noted', 7, current)).toBe(current);
    const old = { data: {}, metadata: { schemaVersion: 1, user: 'u-1' } };
    registry.upcastEvent('Noted', 1, old);
    expect(old.metadata).toEqual({ schemaVersion: 1, user: 'u-1' });
  });

  it('adds a missing schemaVersion last and keeps a stored one where it was', () => {
    const registry = new UpcasterRegistry(2);
    const unversioned = registry.upcastEvent('Noted', 0, { data: {}, metadata: { a: 1 } });
    expect(Object.keys(unversioned.metadata)).toEqual(['a', 'schemaVersion']);
    const versioned = registry.upcastEvent('Noted', 1, {
      data: {},
      metadata: { schemaVersion: 1, a: 1 },
    });
    expect(JSON.stringify(versioned.metadata)).toBe('{"schemaVersion":2,"a":1}');
  });

  it('tells when upcasting from a version changes nothing but the version number', () => {
    const renumber: MetadataUpcaster = {
      target: 'metadata',
      fromVersion: 2,
      reason: 'v3 only means more',
      renumbersOnly: true,
      upcast: (metadata) => metadata,
    };
    const registry = new UpcasterRegistry(3, [renameUser, renameTitle, renumber]);
    expect(registry.renumbersOnly('Noted', 2)).toBe(true);
    // A metadata step that changes members, or a data step of the type, on the way: no.
    expect(registry.renumbersOnly('Other', 1)).toBe(false);
    expect(new UpcasterRegistry(3, [renameTitle, renumber]).renumbersOnly('Noted', 1)).toBe(false);
    expect(new UpcasterRegistry(3, [renameTitle, renumber]).renumbersOnly('Other', 1)).toBe(true);
  });

  it('refuses a second metadata upcaster for a version, but not a data one beside it', () => {
    const registry = new UpcasterRegistry(3, [renameUser]);
    expect(() => registry.register({ ...renameUser })).toThrow(
      /The metadata already has an upcaster from schemaVersion 1/,
    );
    registry.register(renameTitle);
    expect(registry.list()).toEqual([renameUser, renameTitle]);
  });

  it('refuses a metadata upcaster that could never run', () => {
    const registry = new UpcasterRegistry(1);
    expect(() => registry.register({ ...renameUser, fromVersion: 1 })).toThrow(RangeError);
    expect(() => registry.register({ ...renameUser, fromVersion: -1 })).toThrow(RangeError);
    expect(registry.list()).toEqual([]);
  });
});
