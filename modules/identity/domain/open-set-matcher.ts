import { cosineSimilarity } from './face-similarity';

/** At most this many embeddings per person: enough views to cover pose, few enough to erase and audit. */
export const MAX_EMBEDDINGS_PER_PERSON = 3;

/** Open-set decision thresholds on cosine similarity. */
export interface MatchThresholds {
  /** At or above: the face is this person. */
  accept: number;
  /** At or above (and below `accept`): a human should review; never named automatically. */
  review: number;
}

/** One enrolled person's gallery. */
export interface GalleryEntry {
  personId: string;
  embeddings: readonly (readonly number[])[];
}

/** What a face is, in an open set: a person, a person to review, or nobody we know. */
export type MatchDecision =
  { kind: 'MATCH'; personId: string; similarity: number } | { kind: 'REVIEW'; personId: string; similarity: number } | { kind: 'UNKNOWN'; similarity: number };

/**
 * Matches one face against every gallery by its best embedding per person. The closest person
 * is named only when the similarity clears `accept`; anything weaker is UNKNOWN (or REVIEW in the
 * band), so a stranger is never forced onto the nearest enrolled person.
 */
export function matchFace(query: readonly number[], gallery: readonly GalleryEntry[], thresholds: MatchThresholds): MatchDecision {
  if (thresholds.review > thresholds.accept) throw new RangeError('review threshold must not exceed the accept threshold');
  let best: { personId: string; similarity: number } | undefined;
  for (const entry of gallery) {
    for (const e of entry.embeddings) {
      const similarity = cosineSimilarity(query, e);
      if (!best || similarity > best.similarity) best = { personId: entry.personId, similarity };
    }
  }
  if (!best) return { kind: 'UNKNOWN', similarity: -1 };
  if (best.similarity >= thresholds.accept) return { kind: 'MATCH', ...best };
  if (best.similarity >= thresholds.review) return { kind: 'REVIEW', ...best };
  return { kind: 'UNKNOWN', similarity: best.similarity };
}

/**
 * Chooses the accept threshold from a calibration split: just above the most similar
 * impostor (a stranger's face against an enrolled person's best embedding), plus `margin`. The
 * review band is `reviewBand` below it.
 */
export function calibrateThresholds(strangerSimilarities: readonly number[], options: { margin?: number; reviewBand?: number } = {}): MatchThresholds {
  const worst = strangerSimilarities.length > 0 ? Math.max(...strangerSimilarities) : 0;
  const accept = worst + (options.margin ?? 0.02);
  return { accept, review: accept - (options.reviewBand ?? 0.1) };
}
