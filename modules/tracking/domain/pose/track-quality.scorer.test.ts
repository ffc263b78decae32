import { SeededRandom } from '../scenario/seeded-random';
import { COCO_17 } from './keypoint-layout';
import { TrackQualityScorer } from './track-quality.scorer';

const K = COCO_17.joints.length;

/** A standing-person pose; `hidden` joints get score 0, `noise` px of jitter. */
function personPose(rng: SeededRandom, noise: number, hidden: string[] = []): Float64Array {
  const kps = new Float64Array(3 * K);
  COCO_17.joints.forEach((joint, k) => {
    kps[3 * k] = 100 + 5 * k + rng.gaussian(0, noise);
    kps[3 * k + 1] = 50 + 10 * k + rng.gaussian(0, noise);
    kps[3 * k + 2] = hidden.includes(joint) ? 0 : 0.9;
  });
  return kps;
}

/** Runs a scorer over `frames` frames produced by `frame(f, rng)`. */
function score(frames: number, boxHeight: number, frame: (f: number, rng: SeededRandom) => Float64Array | undefined) {
  const rng = new SeededRandom(5);
  const scorer = new TrackQualityScorer();
  for (let f = 0; f < frames; f++) scorer.observe(boxHeight, frame(f, rng));
  return scorer.score();
}

describe('TrackQualityScorer', () => {
  it('a clean, large, fully visible track scores near 1 with no issues', () => {
    const q = score(60, 300, (_f, rng) => personPose(rng, 0.5));
    expect(q.score).toBeGreaterThan(0.9);
    expect(q.issues).toEqual([]);
  });

  it.each<[string, (f: number, rng: SeededRandom) => Float64Array | undefined, number, string[]]>([
    ['left wrist hidden 30% of frames', (f, rng) => personPose(rng, 0.5, f % 10 < 3 ? ['left_wrist'] : []), 300, ['left_wrist_missing_30%']],
    ['pose missing half the time', (f, rng) => (f % 2 === 0 ? personPose(rng, 0.5) : undefined), 300, ['pose_missing_50%']],
    ['small person', (_f, rng) => personPose(rng, 0.2), 60, ['low_resolution']],
    ['shaking keypoints', (_f, rng) => personPose(rng, 12), 200, ['unstable_keypoints']],
  ])('names the issue: %s', (_name, frame, boxHeight, issues) => {
    const q = score(100, boxHeight, frame);
    const clean = score(100, 300, (_f, rng) => personPose(rng, 0.5));
    expect(q.issues).toEqual(issues);
    expect(q.score).toBeGreaterThanOrEqual(0);
    expect(q.score).toBeLessThan(clean.score);
  });

  it('steady motion is not instability (second differences)', () => {
    const q = score(60, 200, (f, rng) => personPose(rng, 0.3).map((v, i) => (i % 3 === 0 ? v + 8 * f : v)));
    expect(q.stability).toBeGreaterThan(0.85);
  });

  it('an empty track scores 0', () => {
    expect(new TrackQualityScorer().score()).toMatchObject({ score: 0, issues: ['no_frames'] });
  });
});
