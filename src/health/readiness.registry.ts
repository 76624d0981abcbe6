import { Injectable } from '@nestjs/common';

export interface ReadinessCheck {
  /** The key of its entry in `/health/ready`, e.g. `eventStore`. */
  readonly name: string;
  /** Resolves when ready; rejects with the reason otherwise. */
  check(): Promise<void>;
}

/** Modules register what the service needs to be ready; the health route asks them all. */
@Injectable()
export class ReadinessRegistry {
  private readonly registered: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.registered.push(check);
  }

  checks(): readonly ReadinessCheck[] {
    return this.registered;
  }
}
