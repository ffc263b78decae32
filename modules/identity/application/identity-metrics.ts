import { Counter, Gauge, type Registry } from 'prom-client';

/** Why the spatiotemporal gate refused a match (the `reason` label; a closed set). */
export type GateRejectionReason = 'TOO_FAST' | 'UNREACHABLE' | 'COMPANION' | 'CONCURRENT';

/**
 * The identity module's Prometheus instruments, with the seed's names. No tenant or camera
 * labels: ids would make the series count grow with customers (per-tenant health is the
 * `identityHealth` query). Counters are created unregistered and added to a registry by
 * {@link IdentityMetrics.register}, so tests and benches can run without one.
 */
export class IdentityMetrics {
  readonly matches = new Counter({ name: 'trinetra_reid_matches_total', help: 'Face sightings matched to an enrolled person (above the accept threshold)', registers: [] });
  readonly unknowns = new Counter({
    name: 'trinetra_reid_unknowns_total',
    help: 'Face sightings left unknown (no enrolled person above the accept threshold; includes the review band)',
    registers: [],
  });
  readonly gateRejections = new Counter({
    name: 'trinetra_spatiotemporal_gate_rejections_total',
    help: 'Matches refused by the spatiotemporal gate, by reason',
    labelNames: ['reason'] as const,
    registers: [],
  });
  readonly flicker = new Counter({ name: 'trinetra_identity_flicker_total', help: 'Tracks whose name changed after they were named', registers: [] });
  readonly falseMerges = new Counter({
    name: 'trinetra_false_merge_detected_total',
    help: 'One identity seen on two tracks at once where the camera graph says they are apart (split)',
    registers: [],
  });
  readonly activeIdentities = new Gauge({ name: 'trinetra_active_identities', help: 'Enrolled people currently named on a live track', registers: [] });

  constructor() {
    // Every reason appears from the start (at 0), so a rate() over it never starts from a missing series.
    for (const reason of ['TOO_FAST', 'UNREACHABLE', 'COMPANION', 'CONCURRENT'] as const) this.gateRejections.inc({ reason }, 0);
  }

  register(registry: Registry): void {
    for (const m of [this.matches, this.unknowns, this.gateRejections, this.flicker, this.falseMerges, this.activeIdentities]) registry.registerMetric(m);
  }
}
