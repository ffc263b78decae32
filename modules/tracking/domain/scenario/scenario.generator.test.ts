import { ByteTracker, type ByteTrackerOptions } from '../mot/byte-tracker';
import { accumulateMotCounts, summarizeMotCounts, type MotCounts } from '../eval/mot-metrics';
import type { MotRow } from '../eval/mot-challenge.parser';
import { generateScenario, scenarioFrameDetections, type Scenario, type ScenarioOptions } from './scenario.generator';

/** Runs a fresh tracker over a scene and evaluates it against the scene's visible ground truth. */
function runScenario(scene: Scenario, options: ByteTrackerOptions = {}, withEmbeddings = false): MotCounts {
  const tracker = new ByteTracker(options);
  const results: MotRow[] = [];
  for (const frame of scene.frames) {
    const update = tracker.update(scenarioFrameDetections(frame, withEmbeddings));
    for (const t of update.tracks) {
      const [x1, y1, x2, y2] = t.box;
      results.push({ frame: frame.frame, id: t.trackId, x: x1, y: y1, w: x2 - x1, h: y2 - y1, score: t.score });
    }
  }
  return accumulateMotCounts(scene.groundTruth.filter((r) => r.score >= 1), results);
}

const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
const crossingScene = (seed: number): ScenarioOptions => ({ seed, walkers: 0, crossings: 1, occluders: 0 });
const pillarScene = (seed: number): ScenarioOptions => ({ seed, walkers: 1, crossings: 0, occluders: 3, frames: 300 });

describe('generateScenario', () => {
  it('is deterministic per seed', () => {
    expect(generateScenario({ seed: 7 })).toEqual(generateScenario({ seed: 7 }));
    expect(generateScenario({ seed: 7 }).detections).not.toEqual(generateScenario({ seed: 8 }).detections);
  });

  it('produces crossings with a person fully hidden for a while, misses and false detections', () => {
    const scene = generateScenario({ seed: 3, frames: 150, missRate: 0.05, falsePositiveRate: 0.5 });
    const hidden = scene.groundTruth.filter((r) => r.score === 0);
    expect(hidden.length).toBeGreaterThan(5);
    const visible = scene.groundTruth.filter((r) => r.score === 1).length;
    const realDetections = scene.detections.length;
    expect(realDetections).toBeGreaterThan(0.8 * visible);
    expect(scene.frames.every((f) => f.embeddings.length === f.detections.length)).toBe(true);
    expect(scene.groundTruth.every((r) => r.w > 0 && r.h > 0 && r.frame >= 1 && r.frame <= 150)).toBe(true);
  });
});

describe('ByteTracker on synthetic scenes', () => {
  it.each(seeds)('ids survive a head-on crossing with a full occlusion (seed %i, appearance term on)', (seed) => {
    const counts = runScenario(generateScenario(crossingScene(seed)), { appearanceWeight: 1 }, true);
    expect(counts.numSwitches).toBe(0);
    expect(summarizeMotCounts(counts).idf1).toBeGreaterThan(0.9);
  });

  it('with IoU alone, crossings cost at most a few switches over all seeds', () => {
    const switches = seeds.map((seed) => runScenario(generateScenario(crossingScene(seed))).numSwitches);
    expect(switches.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(seeds.length);
  });

  it.each(seeds)('ids survive occlusions behind pillars shorter than the lost buffer (seed %i)', (seed) => {
    const scene = generateScenario(pillarScene(seed));
    const counts = runScenario(scene, { lostTrackBuffer: 60 });
    expect(counts.numSwitches).toBe(0);
  });

  it('pillar scenes really hide the walker for a while', () => {
    const hiddenFrames = seeds.map((seed) => generateScenario(pillarScene(seed)).groundTruth.filter((r) => r.score === 0).length);
    expect(hiddenFrames.filter((n) => n > 5).length).toBeGreaterThanOrEqual(6);
  });

  it('low-score detections recover tracks measurably (second stage on vs off)', () => {
    const on = seeds.map((seed) => summarizeMotCounts(runScenario(generateScenario({ seed }))));
    const off = seeds.map((seed) => summarizeMotCounts(runScenario(generateScenario({ seed }), { lowThreshold: 0.5 })));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    on.forEach((m, k) => expect(m.numMisses).toBeLessThan(off[k]!.numMisses));
    expect(mean(on.map((m) => m.mota)) - mean(off.map((m) => m.mota))).toBeGreaterThan(0.03);
    expect(mean(on.map((m) => m.idf1))).toBeGreaterThan(mean(off.map((m) => m.idf1)));
  });

  it.each(seeds)('gives sensible MOTA and IDF1 on the default scene (seed %i)', (seed) => {
    const metrics = summarizeMotCounts(runScenario(generateScenario({ seed })));
    expect(metrics.mota).toBeGreaterThan(0.8);
    expect(metrics.idf1).toBeGreaterThan(0.75);
    expect(metrics.motp).toBeGreaterThan(0.8);
  });
});
