import type { MotRow } from '../eval/mot-challenge.parser';
import { SeededRandom } from './seeded-random';

/**
 * Ground truth turned into a detector's output, seeded: the same seed gives the same
 * detections on every machine. The noise model (kept as the tracking bench has always used it,
 * so figures stay comparable across versions):
 * - each gt box is kept with probability 0.9 (random, independent misses);
 * - kept boxes get N(0, 3% of h) jitter on x, y, w and h;
 * - 10% of kept boxes score U(0.15, 0.45) (a partly hidden person), the rest U(0.55, 0.95);
 * - each frame gets a false 40x100 box with probability 0.3, scoring U(0.1, 0.7).
 */
export function noisyDetectionsFromGroundTruth(gt: readonly MotRow[], seed: number): MotRow[] {
  const rng = new SeededRandom(seed);
  const out: MotRow[] = [];
  const frames = [...new Set(gt.map((r) => r.frame))];
  for (const r of gt) {
    if (!rng.chance(0.9)) continue;
    const s = 0.03 * r.h;
    out.push({
      frame: r.frame,
      id: -1,
      x: r.x + rng.gaussian(0, s),
      y: r.y + rng.gaussian(0, s),
      w: Math.max(2, r.w + rng.gaussian(0, s)),
      h: Math.max(2, r.h + rng.gaussian(0, s)),
      score: rng.chance(0.1) ? rng.uniform(0.15, 0.45) : rng.uniform(0.55, 0.95),
    });
  }
  for (const frame of frames) {
    if (rng.chance(0.3)) out.push({ frame, id: -1, x: rng.uniform(0, 600), y: rng.uniform(0, 400), w: 40, h: 100, score: rng.uniform(0.1, 0.7) });
  }
  return out.sort((a, b) => a.frame - b.frame);
}
