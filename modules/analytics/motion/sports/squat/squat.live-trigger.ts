import { angleDeg } from '../../domain/body-signals';
import type { LiveTrigger, LiveTriggerTiming } from '../../domain/live-trigger';
import { COCO, type MotionKeypoint } from '../../domain/pose-series';

/**
 * Raw knee-angle drop that counts as a descent. The analysis needs 30 deg below standing on the
 * smoothed angle; raw angles swing at least as far (smoothing only flattens extremes), so 20
 * deg cannot miss a rep; noise that crosses it only costs a needless re-read.
 */
const DESCENT_DEG = 20;
/** Rise above the descent's lowest raw angle that starts the way back up. */
const ASCENT_DEG = 15;
/** Slack after the last new peak of an ascent, beyond one settle time and one read interval. */
const SLACK_MS = 2000;

/**
 * Squat live trigger: a rep can only settle on the way back up, so re-analyses run from the
 * moment the raw knee angle has dropped {@link DESCENT_DEG} and risen {@link ASCENT_DEG} until
 * a while after it stops reaching new heights (the rep's end is within 10 deg of standing, then
 * it must settle and a read tick come), or until that rep is reported. Between reps (the
 * descent and the bottom) and standing after a reported rep, nothing runs.
 * Per frame: two angles and a few comparisons.
 */
export function createSquatLiveTrigger(timing: LiveTriggerTiming): LiveTrigger {
  const armMs = timing.settleMs + timing.everyMs + SLACK_MS;
  let state: 'TOP' | 'DOWN' | 'UP' = 'TOP';
  let high = Number.NEGATIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  let armedUntil = Number.NEGATIVE_INFINITY;
  let riseTs = Number.NEGATIVE_INFINITY;
  return {
    observe(ts: number, keypoints: readonly MotionKeypoint[] | null): void {
      if (keypoints === null) return;
      const at = (j: number): MotionKeypoint | null => {
        const p = keypoints[j];
        return p !== undefined && p.score > 0 && Number.isFinite(p.x) && Number.isFinite(p.y) ? p : null;
      };
      const left = angleDeg(at(COCO.leftHip), at(COCO.leftKnee), at(COCO.leftAnkle));
      const right = angleDeg(at(COCO.rightHip), at(COCO.rightKnee), at(COCO.rightAnkle));
      const angle = Number.isFinite(left) && Number.isFinite(right) ? (left + right) / 2 : Number.isFinite(left) ? left : right;
      if (!Number.isFinite(angle)) return;
      if (state === 'DOWN') {
        low = Math.min(low, angle);
        if (angle >= low + ASCENT_DEG) {
          state = 'UP';
          high = angle;
          riseTs = ts;
          armedUntil = ts + armMs;
        }
        return;
      }
      if (angle > high) {
        high = angle;
        if (state === 'UP') armedUntil = ts + armMs;
      } else if (angle <= high - DESCENT_DEG) {
        state = 'DOWN';
        low = angle;
      }
    },
    mayHaveEvent(ts: number): boolean {
      return ts <= armedUntil;
    },
    reported(endTs: number): void {
      // The rep this ascent belongs to is out: stay quiet until the next descent and rise (a
      // later rep always starts its descent after this one's end, so it arms afresh).
      if (state === 'UP' && riseTs <= endTs) {
        state = 'TOP';
        armedUntil = Number.NEGATIVE_INFINITY;
      }
    },
  };
}
