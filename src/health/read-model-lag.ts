import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { CaseEventStream } from '../cases/application/case-event-stream';
import { CaseProjection } from '../cases/projections/case-projection';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app.config';
import { MetricsRegistry } from '../metrics/metrics.registry';

export interface Lag {
  readonly projection: string;
  /** Case events after the read models' checkpoint, counted up to {@link Lag.capped}. */
  readonly events: number;
  /** True when there are at least `events` and maybe more: counting stops at the cap. */
  readonly capped: boolean;
  /** Age of the oldest event not yet applied; 0 when caught up. */
  readonly seconds: number;
}

/**
 * How far the read models are behind the store, measured through the case event stream so it means the same
 * on both stores (against the store's own timestamps): the case events after the projection's checkpoint, and the age of the first
 * of them. Counting stops at a cap (readiness' limit + 1, at least 10,000) so a far-behind
 * projection costs one bounded read per scrape or probe.
 */
@Injectable()
export class ReadModelLag implements OnModuleInit {
  private readonly cap: number;
  /** The measurement under way: callers at the same moment share it. */
  private measuring: Promise<Lag> | undefined;

  constructor(
    private readonly stream: CaseEventStream,
    private readonly projection: CaseProjection,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: MetricsRegistry,
  ) {
    this.cap = Math.max(config.readiness.maxLagEvents + 1, 10_000);
  }

  onModuleInit(): void {
    const labelNames = ['projection'] as const;
    const registers = [this.metrics.registry];
    const measure = this.measure.bind(this);
    new Gauge({
      name: 'read_model_lag_events',
      help: `Case events in the store not yet applied to the read model (counted up to ${this.cap}).`,
      labelNames,
      registers,
      async collect() {
        const lag = await measure();
        this.set({ projection: lag.projection }, lag.events);
      },
    });
    new Gauge({
      name: 'read_model_lag_seconds',
      help: 'Age of the oldest case event not yet applied to the read model; 0 when caught up.',
      labelNames,
      registers,
      async collect() {
        const lag = await measure();
        this.set({ projection: lag.projection }, lag.seconds);
      },
    });
  }

  /**
   * The lag now. A scrape collects both gauges at once, and a readiness probe may come at the
   * same moment: they all share one read, and both gauges show the same measurement.
   */
  measure(): Promise<Lag> {
    this.measuring ??= this.read().finally(() => {
      this.measuring = undefined;
    });
    return this.measuring;
  }

  private async read(): Promise<Lag> {
    const { events, oldest } = await this.stream.pendingAfter(this.projection.checkpoint, this.cap);
    const seconds = oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0;
    return { projection: this.projection.name, events, capped: events >= this.cap, seconds };
  }
}
