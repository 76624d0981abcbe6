import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app.config';
import { CommandMetrics } from './command.metrics';
import { CommandObserver } from '../cases/application/case-command.observer';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';
import { MetricsServer } from './metrics.server';
import { RequestTracker } from './request-tracker';

/**
 * Prometheus metrics. The registry and the recorders always exist (recording is cheap and keeps
 * callers free of conditions); METRICS_ENABLED only decides whether anything serves them, and
 * METRICS_PORT whether that is `GET /metrics` on the API's port or a listener of its own.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { enabled, port } = config.metrics;
    return {
      module: MetricsModule,
      controllers: enabled && port === 0 ? [MetricsController] : [],
      providers: [
        MetricsRegistry,
        CommandMetrics,
        { provide: CommandObserver, useExisting: CommandMetrics },
        RequestTracker,
        ...(enabled && port !== 0 ? [MetricsServer] : []),
      ],
      exports: [MetricsRegistry, CommandMetrics, CommandObserver, RequestTracker],
    };
  }
}
