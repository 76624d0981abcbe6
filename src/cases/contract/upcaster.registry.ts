/**
 * Read-time upcasting. A breaking change to an event's data or to the metadata every event
 * carries bumps `CASE_EVENT_SCHEMA_VERSION` and registers an upcaster from the old version;
 * stored events are never rewritten. Reading runs the chain from the stored version up to the
 * current one, so the domain, the API and feed consumers only ever see the current shape.
 */
export interface Upcaster {
  /** The event type whose data this upcaster changes. */
  readonly type: string;
  /** The `schemaVersion` this upcaster reads; it produces data of `fromVersion + 1`. */
  readonly fromVersion: number;
  /** Why the shape changed, for the contract docs and for whoever reads a stored event. */
  readonly reason: string;
  upcast(data: unknown): unknown;
}

/** Metadata as stored: an object (the codec refuses anything else before upcasting). */
export type StoredMetadata = Readonly<Record<string, unknown>>;

/**
 * A change to the metadata every event type carries. It leaves `schemaVersion` alone: the
 * registry sets the current one once the whole chain has run.
 */
export interface MetadataUpcaster {
  readonly target: 'metadata';
  /** The `schemaVersion` this upcaster reads; it produces metadata of `fromVersion + 1`. */
  readonly fromVersion: number;
  readonly reason: string;
  /**
   * True when the step changes nothing (only the version moves on): an export may then copy the
   * stored text with its version number rewritten instead of parsing it.
   */
  readonly renumbersOnly?: boolean;
  upcast(metadata: StoredMetadata): StoredMetadata;
}

export type AnyUpcaster = Upcaster | MetadataUpcaster;

/** An event's data and metadata, as stored or as upcast. */
export interface EventShape {
  readonly data: unknown;
  readonly metadata: StoredMetadata;
}

const isMetadataUpcaster = (upcaster: AnyUpcaster): upcaster is MetadataUpcaster =>
  'target' in upcaster && upcaster.target === 'metadata';

export class UpcasterRegistry {
  private readonly dataSteps = new Map<string, Upcaster>();
  private readonly metadataSteps = new Map<number, MetadataUpcaster>();
  private readonly registered: AnyUpcaster[] = [];

  constructor(
    readonly currentVersion: number,
    upcasters: readonly AnyUpcaster[] = [],
  ) {
    upcasters.forEach((upcaster) => this.register(upcaster));
  }

  /** Refuses registrations that could never run or would make the chain ambiguous. */
  register(upcaster: AnyUpcaster): this {
    const { fromVersion } = upcaster;
    const what = isMetadataUpcaster(upcaster) ? 'The metadata' : upcaster.type;
    if (!Number.isInteger(fromVersion) || fromVersion < 0 || fromVersion >= this.currentVersion) {
      throw new RangeError(
        `An upcaster for ${what} must read a version from 0 to ${this.currentVersion - 1}, not ${fromVersion}.`,
      );
    }
    const taken = isMetadataUpcaster(upcaster)
      ? this.metadataSteps.has(fromVersion)
      : this.dataSteps.has(keyOf(upcaster.type, fromVersion));
    if (taken)
      throw new Error(`${what} already has an upcaster from schemaVersion ${fromVersion}.`);
    if (isMetadataUpcaster(upcaster)) this.metadataSteps.set(fromVersion, upcaster);
    else this.dataSteps.set(keyOf(upcaster.type, fromVersion), upcaster);
    this.registered.push(upcaster);
    return this;
  }

  /**
   * The data of a `type` event stored at `version`, in the current shape. A version with no
   * upcaster for this type means the type did not change in that step. Data from a newer
   * version than this build knows is returned as it is: it cannot be downcast.
   */
  upcast(type: string, version: number, data: unknown): unknown {
    let current = data;
    for (let v = version; v < this.currentVersion; v++) {
      const upcaster = this.dataSteps.get(keyOf(type, v));
      if (upcaster) current = upcaster.upcast(current);
    }
    return current;
  }

  /**
   * A whole stored event in the current shape: the metadata upcasters from `version` up, the
   * data upcasters of its type from `version` up (the two chains never read each other), and
   * the current `schemaVersion`. Events from a newer version are returned as they are.
   */
  upcastEvent(type: string, version: number, stored: EventShape): EventShape {
    if (version >= this.currentVersion) return stored;
    let metadata = stored.metadata;
    for (let v = version; v < this.currentVersion; v++) {
      const upcaster = this.metadataSteps.get(v);
      if (upcaster) metadata = upcaster.upcast(metadata);
    }
    return {
      data: this.upcast(type, version, stored.data),
      // Spreading keeps a stored `schemaVersion` where it was and adds a missing one last.
      metadata: { ...metadata, schemaVersion: this.currentVersion },
    };
  }

  /**
   * Whether upcasting a `type` event stored at `version` changes nothing but its `schemaVersion`:
   * no data step for the type and only renumbering metadata steps on the way.
   */
  renumbersOnly(type: string, version: number): boolean {
    for (let v = version; v < this.currentVersion; v++) {
      if (this.dataSteps.has(keyOf(type, v))) return false;
      const metadataStep = this.metadataSteps.get(v);
      if (metadataStep && !metadataStep.renumbersOnly) return false;
    }
    return true;
  }

  /** Every registered upcaster, data and metadata alike, in registration order. */
  list(): readonly AnyUpcaster[] {
    return [...this.registered];
  }
}

const keyOf = (type: string, version: number) => `${type}@${version}`;
