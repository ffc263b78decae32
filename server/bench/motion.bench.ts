/**
 * npm run bench:motion — the cost of coaching motion analysis.
 *
 * 1. Metric computation per frame per track (live and batch, synthetic athletes):
 *    modules/analytics/motion/bench/motion-frames.bench.ts, run first as a child process (its
 *    figures are repeated in the last line here). Target: <= 0.05 ms per frame per track.
 * 2. End to end on the squat clip (pose_squats.mp4, 65 frames): ffmpeg decode, the repository's
 *    ONNX MoveNet on the CPU (as the worker runs it, batches of 8), SQUAT on the athlete's
 *    keypoints. Wall time and frames/s. Tracking, queues and Postgres are left out (the full
 *    server path is server/test/motion-analyses.int.test.ts).
 *
 * Lives in server/ because part 2 joins the worker and analytics (module boundaries).
 * Prints figures, then one line of name=value pairs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { reportMotion, type MotionKeypoint } from '@trinetra/analytics';
import { createInferenceBackend } from '@trinetra/gpu-worker';
import { REPO_ROOT, sharedDataPath } from '@trinetra/shared/testing';

async function squatClipEndToEnd(): Promise<{ wallMs: number; fps: number; reps: number; incomplete: number } | null> {
  const video = sharedDataPath('video/tfjs-models/pose_squats.mp4');
  const ffmpeg = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p));
  if (!existsSync(video) || !ffmpeg) {
    console.log(`squat clip end to end: skipped (${!ffmpeg ? 'no ffmpeg' : `missing ${video}`})`);
    return null;
  }
  const backend = await createInferenceBackend({ preferCuda: false, intraOpThreads: 1, embedding: false });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-squats-'));
  try {
    const t0 = performance.now();
    execFileSync(ffmpeg, ['-loglevel', 'error', '-i', video, '-q:v', '2', path.join(dir, 'f%03d.jpg')]);
    const files = readdirSync(dir).sort();
    const frames: (MotionKeypoint[] | null)[] = [];
    for (let i = 0; i < files.length; i += 8) {
      const batch = files.slice(i, i + 8).map((f, k) => ({
        frameId: String(i + k),
        cameraId: 'bench',
        seq: i + k,
        image: readFileSync(path.join(dir, f)),
        wantEmbeddings: false,
        perception: 'CLOSE_UP' as const,
      }));
      for (const r of await backend.infer(batch)) {
        const person = r.ok ? [...r.persons].sort((a, b) => b.score - a.score)[0] : undefined;
        frames.push(person ? person.keypoints.map((k) => ({ x: k.x, y: k.y, score: k.score })) : null);
      }
    }
    const report = reportMotion('SQUAT', { fps: 5, frames }, { heightM: 1.65 });
    const wallMs = performance.now() - t0;
    const m = report.metrics as { repCount?: number; incompleteReps?: number } | null;
    return { wallMs, fps: (files.length * 1000) / wallMs, reps: m?.repCount ?? 0, incomplete: m?.incompleteReps ?? 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await backend.close();
  }
}

async function main(): Promise<void> {
  const frameBench = execFileSync(process.execPath, ['-r', path.join(REPO_ROOT, 'gpu-worker/worker/testing/ts-register.js'), path.join(REPO_ROOT, 'modules/analytics/motion/bench/motion-frames.bench.ts')], {
    encoding: 'utf8',
  });
  process.stdout.write(frameBench);
  const figures = frameBench.trim().split('\n').at(-1) ?? '';
  const clip = await squatClipEndToEnd();
  const extra: string[] = [];
  if (clip) {
    console.log(`squat clip end to end (decode + ONNX MoveNet CPU + SQUAT): ${clip.wallMs.toFixed(0)} ms, ${clip.fps.toFixed(1)} frames/s, ${clip.reps} reps + ${clip.incomplete} cut off`);
    extra.push(`squat_clip_wall_ms=${clip.wallMs.toFixed(0)}`, `squat_clip_fps=${clip.fps.toFixed(1)}`, `squat_clip_reps=${clip.reps}`);
  }
  console.log([figures, ...extra].join(' '));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
