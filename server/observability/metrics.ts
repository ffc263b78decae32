import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

const NON_COUNTERS_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/** The process's Prometheus registry and the server's own instruments. Modules add theirs to `registry`. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'trinetra_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: 'trinetra_graphql_errors_total',
    help: 'GraphQL errors by extensions.code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly wsConnections = new Counter({
    name: 'trinetra_ws_connections_total',
    help: 'graphql-ws connections accepted or refused',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'trinetra_' });
    // prom-client names these three gauges `_total`, which Prometheus reserves for counters
    // (`promtool check metrics` rejects them); each is the sum of the per-type gauge it sits
    // beside (`trinetra_nodejs_active_handles{type}`), so nothing is lost.
    for (const name of NON_COUNTERS_NAMED_TOTAL) this.registry.removeSingleMetric(`trinetra_${name}`);
  }
}
