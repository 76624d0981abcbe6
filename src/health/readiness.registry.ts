import { Injectable } from '@nestjs/common';

export interface ReadinessCheck {
  /** Named in a failing `/health/ready` answer, e.g. `eventStore`. */
  readonly name: string;
  /** Resolves when ready; rejects with the reason otherwise. */
  check(): Promise<void>;
}

/** Modules register what the service needs to be ready; the health route asks them all. */
@Injectable()
export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  async failures(): Promise<Record<string, string>> {
    const results = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await check();
          return undefined;
        } catch (error) {
          return [name, (error as Error).message || 'unavailable'] as const;
        }
      }),
    );
    return Object.fromEntries(results.filter((r) => r !== undefined));
  }
}
