import { CameraGraph } from '../domain/camera-graph';
import { FlickerCounter } from '../domain/flicker-counter';
import { FACERES_THRESHOLDS } from '../domain/matching-policy';
import { type SightingOutcome, SightingPolicy } from '../domain/sighting-policy';
import { VisitRegistry } from '../domain/visit-registry';
import type { CameraGraphService } from './camera-graph.service';
import type { IdentityMetrics } from './identity-metrics';
import type { IdentitySettingsService } from './identity-settings.service';

/** One live observation of a track after the 5-frame vote. */
export interface TrackSighting {
  cameraId: string;
  trackId: string;
  at: Date;
  /** The voted name (null: the vote left it unknown or pending). */
  personId: string | null;
  /** The track's face embedding, for an anonymous visit id when it is unknown. */
  embedding?: readonly number[];
}

export interface TrackSightingOutcome extends SightingOutcome {
  /** Anonymous visit id of an unknown track (random, stable across cameras for the visit); null when named or no embedding. */
  visitId: string | null;
}

/** Per-tenant totals for identityHealth (process lifetime). */
export interface SightingTotals {
  flicker: number;
  falseMerges: number;
  gateRejections: Record<string, number>;
}

interface TenantState {
  policy: SightingPolicy;
  visits: VisitRegistry;
  flicker: FlickerCounter;
  totals: SightingTotals;
}

/**
 * The live rules after the vote, per tenant: spatiotemporal gate, false-merge split, companion
 * rule, flicker, anonymous visit ids; counts every outcome in the seed's metrics. State is in
 * memory (tracks live seconds; unknown visitors' vectors at most the tenant's retention).
 */
export class IdentitySightingsService {
  private readonly tenants = new Map<string, Promise<TenantState>>();

  constructor(
    private readonly graphs: CameraGraphService,
    private readonly settings: IdentitySettingsService,
    private readonly metrics: IdentityMetrics,
  ) {
    graphs.onChange((tenantId, graph) => {
      void this.tenants.get(tenantId)?.then((s) => {
        s.policy.setGraph(graph);
        s.visits.setGraph(graph);
      });
    });
    settings.onChange((tenantId, view) => {
      void this.tenants.get(tenantId)?.then((s) => s.visits.setRetentionMs(view.unknownRetentionHours * 3_600_000));
    });
  }

  async observe(tenantId: string, s: TrackSighting): Promise<TrackSightingOutcome> {
    const state = await this.state(tenantId);
    const atMs = s.at.getTime();
    const outcome = state.policy.observe({ cameraId: s.cameraId, trackId: s.trackId, atMs, personId: s.personId });
    if (outcome.rejected) {
      this.metrics.gateRejections.inc({ reason: outcome.rejected });
      state.totals.gateRejections[outcome.rejected] = (state.totals.gateRejections[outcome.rejected] ?? 0) + 1;
    }
    if (outcome.falseMerge) {
      this.metrics.falseMerges.inc();
      state.totals.falseMerges++;
    }
    // The counter remembers the last name across unknown spells (A, unknown, B is a flicker too).
    const flicker = state.flicker.observe(`${s.cameraId}/${s.trackId}`, outcome.personId);
    if (flicker) {
      this.metrics.flicker.inc();
      state.totals.flicker++;
    }
    const visitId = outcome.personId === null && s.embedding ? state.visits.visitOf(s.cameraId, s.trackId, s.embedding, atMs) : null;
    this.metrics.activeIdentities.set(await this.activeIdentities(atMs));
    return { ...outcome, flicker, visitId };
  }

  /** The track ended (the tracker said so): forget its flicker history. */
  endTrack(tenantId: string, cameraId: string, trackId: string): void {
    void this.tenants.get(tenantId)?.then((s) => s.flicker.end(`${cameraId}/${trackId}`));
  }

  /** The camera stopped and its tracks ended: their flicker history and visit bindings go (ids are reused). */
  endCamera(tenantId: string, cameraId: string): void {
    void this.tenants.get(tenantId)?.then((s) => {
      s.flicker.endCamera(cameraId);
      s.visits.releaseCamera(cameraId);
    });
  }

  async totals(tenantId: string): Promise<SightingTotals> {
    return (await this.state(tenantId)).totals;
  }

  /** Drops unknown visitors' vectors past retention in every tenant (called on a timer). */
  async expire(nowMs: number): Promise<void> {
    for (const state of this.tenants.values()) (await state).visits.expire(nowMs);
  }

  private async activeIdentities(nowMs: number): Promise<number> {
    let n = 0;
    for (const state of this.tenants.values()) n += (await state).policy.activeIdentities(nowMs);
    return n;
  }

  private state(tenantId: string): Promise<TenantState> {
    let state = this.tenants.get(tenantId);
    if (!state) {
      state = (async () => {
        const graph: CameraGraph = await this.graphs.graph(tenantId);
        const { unknownRetentionHours } = await this.settings.get(tenantId);
        return {
          policy: new SightingPolicy(graph),
          visits: new VisitRegistry(graph, { sameVisitor: FACERES_THRESHOLDS.accept, retentionMs: unknownRetentionHours * 3_600_000 }),
          flicker: new FlickerCounter(),
          totals: { flicker: 0, falseMerges: 0, gateRejections: {} },
        };
      })();
      state.catch(() => this.tenants.delete(tenantId));
      this.tenants.set(tenantId, state);
    }
    return state;
  }
}
