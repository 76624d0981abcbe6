import { constants } from 'node:fs';
import { access, statfs, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app.config';
import { ReadModelLag } from './read-model-lag';
import { ReadinessRegistry } from './readiness.registry';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * What `/health/ready` checks, as terminus indicators: each dependency a module registered
 * (the event store, the projection runner), the read models' lag, and on the embedded store
 * the disk under DATA_DIR. Each indicator reports down with a reason; none throws.
 */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly registry: ReadinessRegistry,
    private readonly lag: ReadModelLag,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  all(): Array<() => Promise<HealthIndicatorResult>> {
    return [
      ...this.registry.checks().map(({ name, check }) => async () => {
        const indicator = this.indicators.check(name);
        try {
          await check();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: message(error) || 'unavailable' });
        }
      }),
      () => this.readModels(),
      ...(this.config.eventStore === 'sqlite' ? [() => this.dataDir()] : []),
    ];
  }

  private async readModels(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('readModels');
    const { maxLagEvents, maxLagSeconds } = this.config.readiness;
    try {
      const lag = await this.lag.measure();
      const details = {
        projection: lag.projection,
        lagEvents: lag.events,
        lagSeconds: Math.round(lag.seconds * 10) / 10,
        maxLagEvents,
        maxLagSeconds,
      };
      if (lag.events > maxLagEvents || lag.seconds > maxLagSeconds) {
        return indicator.down({
          ...details,
          message: `read models are ${lag.capped ? 'at least ' : ''}${lag.events} events and ${details.lagSeconds} s behind the store`,
        });
      }
      return indicator.up(details);
    } catch (error) {
      return indicator.down({ message: `lag unknown: ${message(error)}` });
    }
  }

  /**
   * The embedded store and the read models write under DATA_DIR: a full disk or a read-only
   * mount stops every command, so readiness says so before the first 503, and recovers when
   * space or write access comes back.
   */
  private async dataDir(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('disk');
    const { dataDir } = this.config;
    const minFreeBytes = this.config.readiness.minFreeBytes;
    try {
      const stats = await statfs(dataDir);
      const freeBytes = Number(stats.bavail) * Number(stats.bsize);
      const details = { path: dataDir, freeBytes, minFreeBytes };
      if (freeBytes < minFreeBytes) {
        return indicator.down({ ...details, message: `only ${freeBytes} bytes free on DATA_DIR` });
      }
      await access(dataDir, constants.W_OK);
      const probe = join(dataDir, `.ready-probe-${process.pid}`);
      await writeFile(probe, 'ok');
      await unlink(probe);
      return indicator.up(details);
    } catch (error) {
      return indicator.down({
        path: dataDir,
        message: `DATA_DIR is not writable: ${message(error)}`,
      });
    }
  }
}
