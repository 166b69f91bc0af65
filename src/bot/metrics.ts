import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one service instance (served at GET /metrics). */
export class Metrics {
  readonly registry = new Registry();
  readonly inbound = new Counter({
    name: "suara_inbound_total",
    help: "Inbound events by channel and outcome (applied, duplicate, recovered, missing, rejected, error)",
    labelNames: ["channel", "outcome"] as const,
    registers: [this.registry],
  });
  readonly outbox = new Counter({
    name: "suara_outbox_total",
    help: "Outbox delivery attempts by result (sent, retry, held, dead)",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  readonly handleSeconds = new Histogram({
    name: "suara_handle_seconds",
    help: "Time to apply one inbound event (one transaction)",
    labelNames: ["channel"] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly escalations = new Counter({
    name: "suara_escalations_total",
    help: "Officer notifications by urgency and tier",
    labelNames: ["urgency", "tier"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
