/**
 * Part of `npm run bench:motion` (server/bench/motion.bench.ts runs it first): metric
 * computation per frame per track.
 *
 * 1. Live: a LiveMotionSession per sport fed frame by frame (re-analysing its 12 s window every
 *    0.5 s of frame time, as live analyses do) on synthetic athletes (squats at 30 fps, CMJs
 *    and running at 60 fps). Wall time over the frames fed. Target: <= 0.05 ms per frame per
 *    track.
 * 2. Batch: one reportMotion over a whole clip (plot signal included), per frame.
 *
 * Prints figures, then one line of name=value pairs.
 */
import { performance } from 'node:perf_hooks';
import { LiveMotionSession } from '../domain/live-motion-session';
import type { MotionSport } from '../domain/motion-analysis';
import { reportMotion } from '../domain/motion-report';
import type { PoseSeries } from '../domain/pose-series';
import { syntheticCmj, syntheticSquats } from '../testing/synthetic-athlete';
import { syntheticRun } from '../testing/synthetic-runner';

const athlete = { heightM: 1.75 };

function concat(parts: PoseSeries[]): PoseSeries {
  return { fps: parts[0]?.fps ?? 30, frames: parts.flatMap((p) => p.frames) };
}

const inputs: Record<'SQUAT' | 'CMJ' | 'RUNNING', PoseSeries> = {
  SQUAT: concat(
    Array.from({ length: 6 }, (_, i) =>
      syntheticSquats(
        Array.from({ length: 4 }, () => ({ bottomKneeDeg: 90 + i, downS: 1.2, upS: 1.0 })),
        { fps: 30, seed: i + 1 },
      ).series,
    ),
  ),
  CMJ: concat(Array.from({ length: 12 }, (_, i) => syntheticCmj(2 + 0.05 * i, { fps: 60, seed: i + 1 }).series)),
  RUNNING: syntheticRun({ cadenceSpm: 175, contactS: 0.24, durationS: 60 }, { fps: 60, seed: 1 }).series,
};

function liveMsPerFrame(sport: MotionSport, series: PoseSeries): { msPerFrame: number; events: number } {
  // One warm-up pass (JIT), then the measured one.
  let events = 0;
  let ms = 0;
  for (const measured of [false, true]) {
    const session = new LiveMotionSession(sport, athlete);
    const t0 = performance.now();
    series.frames.forEach((f, i) => session.push(1_700_000_000_000 + (i * 1000) / series.fps, f));
    if (measured) {
      ms = (performance.now() - t0) / series.frames.length;
      events = session.events().length;
    }
  }
  return { msPerFrame: ms, events };
}

function batchMsPerFrame(sport: MotionSport, series: PoseSeries): number {
  reportMotion(sport, series, athlete);
  const t0 = performance.now();
  const runs = 5;
  for (let i = 0; i < runs; i += 1) reportMotion(sport, series, athlete);
  return (performance.now() - t0) / runs / series.frames.length;
}

function main(): void {
  const figures: Record<string, string> = {};
  let worst = 0;
  for (const sport of ['SQUAT', 'CMJ', 'RUNNING'] as const) {
    const series = inputs[sport];
    const live = liveMsPerFrame(sport, series);
    const batch = batchMsPerFrame(sport, series);
    worst = Math.max(worst, live.msPerFrame);
    console.log(
      `${sport.padEnd(8)} ${series.frames.length} frames at ${series.fps} fps: live ${live.msPerFrame.toFixed(4)} ms/frame/track (${live.events} events), batch ${batch.toFixed(4)} ms/frame`,
    );
    figures[`live_${sport.toLowerCase()}_ms_per_frame`] = live.msPerFrame.toFixed(4);
    figures[`batch_${sport.toLowerCase()}_ms_per_frame`] = batch.toFixed(4);
  }
  console.log(`worst live metric computation: ${worst.toFixed(4)} ms per frame per track (target <= 0.05)`);
  figures['live_worst_ms_per_frame'] = worst.toFixed(4);
  console.log(Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' '));
}

main();
