import { cosineSimilarity } from './face-similarity';
import type { MatchThresholds } from './open-set-matcher';

/** How far one sighting pulls a gallery embedding: slow, so a bad frame cannot rewrite a person. */
export const GALLERY_EMA_ALPHA = 0.1;
/** A sighting updates the gallery only this far above the accept threshold. */
export const HIGH_QUALITY_MARGIN = 0.1;
/** And only with a detector face quality at least this (0..1). */
export const MIN_FACE_QUALITY = 0.8;

/**
 * Which gallery embedding a high-quality sighting refreshes, and its new value, or null when
 * the sighting is not good enough: similarity at least accept + HIGH_QUALITY_MARGIN and face
 * quality at least MIN_FACE_QUALITY. The closest embedding moves by EMA
 * (1 - alpha) * old + alpha * new, then back onto the unit sphere; the others stay, so the
 * person keeps at most as many embeddings as enrolled (<= 3) and distinct views survive.
 */
export function emaUpdate(
  gallery: readonly (readonly number[])[],
  sighting: readonly number[],
  quality: number,
  thresholds: MatchThresholds,
  alpha = GALLERY_EMA_ALPHA,
): { index: number; embedding: number[] } | null {
  if (gallery.length === 0 || quality < MIN_FACE_QUALITY) return null;
  let index = -1;
  let best = -Infinity;
  gallery.forEach((e, i) => {
    const s = cosineSimilarity(e, sighting);
    if (s > best) [index, best] = [i, s];
  });
  if (best < thresholds.accept + HIGH_QUALITY_MARGIN) return null;
  const old = gallery[index]!;
  const mixed = old.map((x, i) => (1 - alpha) * x + alpha * (sighting[i] ?? 0));
  const norm = Math.hypot(...mixed);
  return { index, embedding: mixed.map((x) => x / norm) };
}
