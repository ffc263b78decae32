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
 * A face that came close to an enrolled person but not close enough to name (the review band):
 * `UNKNOWN_IDENTITY` for a person to look at, never a name on a track.
 */
export interface WeakMatchEvent {
  type: 'UNKNOWN_IDENTITY';
  tenantId: string;
  cameraId: string | null;
  /** The nearest enrolled person, for the reviewer only. */
  candidatePersonId: string;
  similarity: number;
  at: Date;
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
  private readonly weakListeners: Array<(event: WeakMatchEvent) => void> = [];
  private readonly weakCounts = new Map<string, number>();

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
    if (decision.kind === 'REVIEW') {
      this.weakCounts.set(tenantId, (this.weakCounts.get(tenantId) ?? 0) + 1);
      const event: WeakMatchEvent = {
        type: 'UNKNOWN_IDENTITY',
        tenantId,
        cameraId: query.cameraId ?? null,
        candidatePersonId: decision.personId,
        similarity: decision.similarity,
        at: query.at ?? new Date(this.now()),
      };
      // A listener's failure is its own: matching goes on.
      for (const listener of this.weakListeners) {
        try {
          listener(event);
        } catch {
          /* reported by the listener's owner */
        }
      }
    }
    return decision;
  }

  /** Hears every review-band match (UNKNOWN_IDENTITY events: webhooks, a review queue). */
  onWeakMatch(listener: (event: WeakMatchEvent) => void): void {
    this.weakListeners.push(listener);
  }

  /** Review-band matches of a tenant since the process started (identityHealth). */
  weakMatches(tenantId: string): number {
    return this.weakCounts.get(tenantId) ?? 0;
  }

  /** The tenant's drift monitor (one window per camera). */
  driftOf(tenantId: string): DriftMonitor {
    let monitor = this.drift.get(tenantId);
    if (!monitor) this.drift.set(tenantId, (monitor = new DriftMonitor()));
    return monitor;
  }
}
