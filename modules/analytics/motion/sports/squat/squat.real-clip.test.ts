import { readFileSync } from 'node:fs';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { analyzeMotion } from '../../domain/motion-analysis';
import { coco17FromBlazePose33, type PoseSeries } from '../../domain/pose-series';
import { SQUAT } from './squat.sport';

const clipKeypoints = sharedDataPath('video/tfjs-models/pose_squats.full.json');

/**
 * pose_squats.mp4 (65 frames, 5 fps, 720x1280): one woman squatting, front view.
 *
 * Counted by hand from every 4th frame (ffmpeg `select=not(mod(n,4))`, tiled, viewed):
 * standing at 0, down at 8-12, standing again at 20-24 (rep 1); down at 32-36, standing at
 * 44-48 (rep 2); down at 56-60 and still on the way up at 64, the last frame (a third descent
 * the clip cuts off). So: 2 complete reps and 1 incomplete.
 */
const HAND_COUNTED = { repCount: 2, incompleteReps: 1 };

describeWithInputs([clipKeypoints], 'the real squat clip test')('SQUAT on the real clip pose_squats.mp4 (BlazePose keypoints)', () => {
  // tfjs-models' expected BlazePose (full) landmarks per frame, mapped to COCO-17.
  const landmarks = JSON.parse(readFileSync(clipKeypoints, 'utf8')) as number[][][];
  const series: PoseSeries = { fps: 5, frames: landmarks.map((frame) => coco17FromBlazePose33(frame)) };
  // Her stature is unknown; the squat metrics are angles and seconds, which the scale does not change.
  const result = analyzeMotion(SQUAT, series, { heightM: 1.65 });

  it('counts the reps counted by hand', () => {
    expect(result.status).toBe('OK');
    if (result.status !== 'OK') return;
    expect({ repCount: result.metrics.repCount, incompleteReps: result.metrics.incompleteReps }).toEqual(HAND_COUNTED);
  });

  it('measures a plausible depth and tempo for each rep', () => {
    if (result.status !== 'OK') throw new Error(JSON.stringify(result));
    for (const rep of result.metrics.reps) {
      // Thighs about parallel at the bottom in the frames (knee ~90-100 deg in the landmarks).
      expect(rep.bottomKneeAngleDeg).toBeGreaterThan(80);
      expect(rep.bottomKneeAngleDeg).toBeLessThan(110);
      // 7-10 frames each way in the clip (1.4-2 s; she straightens her knees slowly at the top).
      expect(rep.downS).toBeGreaterThan(1.0);
      expect(rep.downS).toBeLessThan(2.5);
      expect(rep.upS).toBeGreaterThan(1.0);
      expect(rep.upS).toBeLessThan(2.5);
    }
  });
});
