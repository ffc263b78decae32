import { InvalidInputError } from '@trinetra/shared';
import { DriftMonitor } from '../domain/drift-monitor';
import { FACERES_THRESHOLDS, cameraThresholds } from '../domain/matching-policy';
import type { MatchDecision, MatchThresholds } from '../domain/open-set-matcher';
import type { IdentityMetrics } from './identity-metrics';
import type { VectorIndex } from './vector-index.port';

/** Thresholds per embedder model; a model without calibrated thresholds is refused, never guessed. */
export const MODEL_THRESHOLDS: Readonly<Record<string, MatchThresholds>> = { faceres: FACERES_THRESHOLDS };

/** What the matcher needs to know about a camera. */
export interface CameraOffsets {
  thresholdOffsetOf(tenantId: string, cameraId: string): Promise<{ thresholdOffset: number }>;
}

export interface MatchQuery {
  model: string;
  embedding: readonly number[];
  /** The camera that saw the face: its threshold offset applies, and accepted matches feed its drift monitor. */
  cameraId?: string;
  /** When it was seen (drift windows). Default now. */
  at?: Date;
}

/**
 * Open-set matching of one face embedding against ONE tenant's gallery through the vector
 * index (the live path's entry point, and the `matchFace` of the API). The nearest enrolled
 * person is named only at or above the model's calibrated accept threshold moved by the
 * camera's offset; the band below is REVIEW (a weak match, never a name); below that UNKNOWN.
 * Counts matches and unknowns, and feeds the per-camera drift monitor with accepted matches.
 */
export class GalleryMatcher {
  private readonly drift = new Map<string, DriftMonitor>();

  constructor(
    private readonly index: VectorIndex,
    private readonly cameras: CameraOffsets,
    private readonly metrics: IdentityMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  async match(tenantId: string, query: MatchQuery): Promise<MatchDecision> {
    const base = MODEL_THRESHOLDS[query.model];
    if (!base) throw new InvalidInputError(`no calibrated thresholds for embedder model ${query.model}`, { field: 'model' });
    if (query.embedding.length === 0 || query.embedding.some((x) => !Number.isFinite(x))) throw new InvalidInputError('embedding must be a finite vector', { field: 'embedding' });
    const thresholds = query.cameraId ? cameraThresholds(base, (await this.cameras.thresholdOffsetOf(tenantId, query.cameraId)).thresholdOffset) : base;
    const [best] = await this.index.search(tenantId, query.model, query.embedding, 1);
    let decision: MatchDecision;
    if (!best) decision = { kind: 'UNKNOWN', similarity: -1 };
    else if (best.score >= thresholds.accept) decision = { kind: 'MATCH', personId: best.personId, similarity: best.score };
    else if (best.score >= thresholds.review) decision = { kind: 'REVIEW', personId: best.personId, similarity: best.score };
    else decision = { kind: 'UNKNOWN', similarity: best.score };
    if (decision.kind === 'MATCH') {
      this.metrics.matches.inc();
      if (query.cameraId) this.driftOf(tenantId).record(query.cameraId, decision.similarity, query.at?.getTime() ?? this.now());
    } else {
      this.metrics.unknowns.inc();
    }
    return decision;
  }

  /** The tenant's drift monitor (one window per camera). */
  driftOf(tenantId: string): DriftMonitor {
    let monitor = this.drift.get(tenantId);
    if (!monitor) this.drift.set(tenantId, (monitor = new DriftMonitor()));
    return monitor;
  }
}
