/**
 * Read-time upcasting. A breaking change to an event's data bumps `CASE_EVENT_SCHEMA_VERSION`
 * and registers an upcaster from the old version; stored events are never rewritten. Reading
 * runs the chain from the stored version up to the current one, so the domain, the API and
 * feed consumers only ever see the current shape.
 */
export interface Upcaster {
  readonly type: string;
  /** The `schemaVersion` this upcaster reads; it produces data of `fromVersion + 1`. */
  readonly fromVersion: number;
  /** Why the shape changed, for the contract docs and for whoever reads a stored event. */
  readonly reason: string;
  upcast(data: unknown): unknown;
}

export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  constructor(
    readonly currentVersion: number,
    upcasters: readonly Upcaster[] = [],
  ) {
    upcasters.forEach((upcaster) => this.register(upcaster));
  }

  /** Refuses registrations that could never run or would make the chain ambiguous. */
  register(upcaster: Upcaster): this {
    const { type, fromVersion } = upcaster;
    if (!Number.isInteger(fromVersion) || fromVersion < 0 || fromVersion >= this.currentVersion) {
      throw new RangeError(
        `An upcaster for ${type} must read a version from 0 to ${this.currentVersion - 1}, not ${fromVersion}.`,
      );
    }
    const key = keyOf(type, fromVersion);
    if (this.upcasters.has(key)) {
      throw new Error(`${type} already has an upcaster from schemaVersion ${fromVersion}.`);
    }
    this.upcasters.set(key, upcaster);
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
      const upcaster = this.upcasters.get(keyOf(type, v));
      if (upcaster) current = upcaster.upcast(current);
    }
    return current;
  }

  list(): readonly Upcaster[] {
    return [...this.upcasters.values()];
  }
}

const keyOf = (type: string, version: number) => `${type}@${version}`;
