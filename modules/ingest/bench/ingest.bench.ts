/**
 * `npm run bench:ingest`: simulator frames/s in asap pacing, decode + admission throughput of
 * the file source on generated 640x480 and 1280x720 clips (and the shared vtest.avi when
 * present), and upload-socket frames/s with 30 KB JPEG payloads from a separate client process
 * over loopback. Figures are printed, never asserted (tests do not measure speed).
 * Ends with one line of name=value pairs.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { systemClock } from '@trinetra/shared';
import { FrameAdmission } from '../admission/frame-admission';
import { DEBIAN_FFMPEG } from '../sources/ffmpeg-binaries';
import { FileSource } from '../sources/file.source';
import { SimulatorSource } from '../sources/simulator.source';
import { AdmissionFrameSink } from '../upload/admission-frame.sink';
import { encodeFrameMessage } from '../upload/ingest-frame.codec';
import { createIngestUpgradeHandler } from '../upload/ws-upload.adapter';

const CAMERA = '00000000-0000-4000-8000-0000000000be';
const PAYLOAD_BYTES = 30 * 1024;
const UPLOAD_FRAMES = Number(process.env['BENCH_UPLOAD_FRAMES'] ?? 3000);
const IN_FLIGHT = 32;

async function decodeAndAdmit(path: string): Promise<{ frames: number; admitted: number; seconds: number }> {
  const admission = new FrameAdmission({ clock: systemClock });
  // BILLING never drops: every decoded frame goes through the full admission path.
  admission.configureCamera('bench', { tier: 'BILLING', targetFps: 1000 });
  const source = new FileSource({ cameraId: 'bench', path, pacing: 'asap' });
  let frames = 0;
  let admitted = 0;
  const started = performance.now();
  await new Promise<void>((done) => {
    source.subscribe({
      onFrame: (f) => {
        frames += 1;
        if (admission.admitFrame(f).admitted) admitted += 1;
      },
      onStatus: (s) => {
        if (s.to === 'ended' || s.to === 'failed') done();
      },
    });
    void source.start();
  });
  return { frames, admitted, seconds: (performance.now() - started) / 1000 };
}

/** Frames/s of a simulator camera in asap pacing (8 people; ~2000 frames/s on one shared core). */
async function simulatorFrames(frames: number): Promise<{ frames: number; seconds: number }> {
  const run = (maxFrames: number): Promise<number> => {
    const source = new SimulatorSource({ cameraId: 'bench-sim', pacing: 'asap', maxFrames, persons: 8 });
    let emitted = 0;
    return new Promise<number>((done, fail) => {
      source.subscribe({
        onFrame: () => (emitted += 1),
        onStatus: (s) => {
          if (s.to === 'ended') done(emitted);
          if (s.to === 'failed') fail(new Error('simulator source failed'));
        },
      });
      source.start().catch(fail);
    });
  };
  await run(10); // renders and caches the background
  const started = performance.now();
  const emitted = await run(frames);
  return { frames: emitted, seconds: (performance.now() - started) / 1000 };
}

/** A JPEG-shaped payload of `bytes` (SOI, SOF0 640x480, padding, EOI): the server parses headers only. */
function fakeJpeg(bytes: number): Buffer {
  const head = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00]);
  return Buffer.concat([head, Buffer.alloc(bytes - head.length - 2, 0x55), Buffer.from([0xff, 0xd9])]);
}

/** Client process: sends frames keeping IN_FLIGHT unacked, reports frames/s of acks. */
async function uploadClient(url: string): Promise<void> {
  const ws = new WebSocket(url);
  const jpeg = fakeJpeg(PAYLOAD_BYTES);
  await new Promise((r) => ws.once('open', r));
  let sent = 0;
  let acked = 0;
  let admitted = 0;
  let started = 0;
  const rtts: number[] = [];
  const sentAt = new Map<number, number>();
  const send = (): void => {
    while (sent < UPLOAD_FRAMES && sent - acked < IN_FLIGHT) {
      sent += 1;
      sentAt.set(sent, performance.now());
      ws.send(encodeFrameMessage({ cameraId: CAMERA, seq: sent, captureTs: Date.now(), jpeg }));
    }
  };
  await new Promise<void>((done) => {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; seq?: number; admitted?: boolean };
      if (m.type === 'ready') {
        started = performance.now();
        send();
        return;
      }
      if (m.type !== 'ack' || m.seq === undefined) return;
      acked += 1;
      if (m.admitted) admitted += 1;
      const t0 = sentAt.get(m.seq);
      if (t0 !== undefined) rtts.push(performance.now() - t0);
      if (acked === UPLOAD_FRAMES) done();
      else send();
    });
  });
  const seconds = (performance.now() - started) / 1000;
  ws.close();
  rtts.sort((a, b) => a - b);
  process.send?.({ frames: acked, admitted, seconds, p50: rtts[Math.floor(rtts.length / 2)] ?? 0, p99: rtts[Math.floor(rtts.length * 0.99)] ?? 0 });
}

async function uploadBench(): Promise<{ frames: number; admitted: number; seconds: number; p50: number; p99: number }> {
  const handler = createIngestUpgradeHandler({
    auth: {
      authenticate: async () => ({ kind: 'apiKey', id: 'bench', tenantId: 'bench-tenant', scopes: new Set(['ingest'] as const) }),
      findCamera: async () => ({ id: CAMERA, tier: 'BILLING', sourceKind: 'UPLOAD', targetFps: 1000 }),
    },
    sink: new AdmissionFrameSink({ admission: new FrameAdmission({ clock: systemClock }) }),
    session: { ratePerS: 1e6 },
  });
  const server = createServer();
  server.on('upgrade', (req, socket, head) => handler(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ingest?cameraId=${CAMERA}&token=bench`;
  const child = fork(resolve(__filename), ['--client', url], { stdio: 'inherit' });
  const result = await new Promise<{ frames: number; admitted: number; seconds: number; p50: number; p99: number }>((ok, fail) => {
    child.once('message', (m) => ok(m as never));
    child.once('exit', (code) => fail(new Error(`upload client exited ${code}`)));
  });
  child.kill();
  await handler.close();
  await new Promise((r) => server.close(r));
  return result;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trinetra-bench-ingest-'));
  const figures: Record<string, string> = {};
  try {
    const sim = await simulatorFrames(3000);
    process.stdout.write(`simulator asap (8 people, 640x480): ${sim.frames} frames in ${sim.seconds.toFixed(2)} s = ${(sim.frames / sim.seconds).toFixed(0)} frames/s\n`);
    figures['simulator_fps'] = (sim.frames / sim.seconds).toFixed(0);
    for (const [label, size] of [['640x480', '640x480'], ['1280x720', '1280x720']] as const) {
      const clip = join(dir, `${label}.mp4`);
      // 10 s at 25 fps, h264 (what cameras and phones produce).
      execFileSync(DEBIAN_FFMPEG.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=duration=10:size=${size}:rate=25`, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', clip]);
      const r = await decodeAndAdmit(clip);
      process.stdout.write(`decode+admission ${label} (h264 testsrc2, 250 frames): ${r.frames} frames (${r.admitted} admitted) in ${r.seconds.toFixed(2)} s = ${(r.frames / r.seconds).toFixed(1)} frames/s\n`);
      figures[`decode_${label}_fps`] = (r.frames / r.seconds).toFixed(1);
    }
    const vtest = resolve(__dirname, '../../../../shared/data/video/vtest.avi');
    const shared = existsSync(vtest) ? vtest : existsSync('/work/shared/data/video/vtest.avi') ? '/work/shared/data/video/vtest.avi' : null;
    if (shared) {
      const r = await decodeAndAdmit(shared);
      process.stdout.write(`decode+admission vtest.avi (768x576 msmpeg4, shared data): ${r.frames} frames in ${r.seconds.toFixed(2)} s = ${(r.frames / r.seconds).toFixed(1)} frames/s\n`);
      figures['decode_vtest_fps'] = (r.frames / r.seconds).toFixed(1);
    } else {
      process.stdout.write('vtest.avi not found under ../shared/data/video: skipped\n');
    }
    const u = await uploadBench();
    const fps = u.frames / u.seconds;
    process.stdout.write(
      `upload socket: ${u.frames} frames of ${PAYLOAD_BYTES / 1024} KB from a separate process, ${IN_FLIGHT} in flight: ${fps.toFixed(0)} frames/s, ${((fps * PAYLOAD_BYTES) / 1e6).toFixed(1)} MB/s, ack RTT p50 ${u.p50.toFixed(2)} ms p99 ${u.p99.toFixed(2)} ms (${u.admitted} admitted)\n`,
    );
    figures['upload_fps'] = fps.toFixed(0);
    figures['upload_mb_s'] = ((fps * PAYLOAD_BYTES) / 1e6).toFixed(1);
    figures['upload_rtt_p50_ms'] = u.p50.toFixed(2);
    figures['upload_rtt_p99_ms'] = u.p99.toFixed(2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
}

const clientIndex = process.argv.indexOf('--client');
if (clientIndex >= 0) {
  void uploadClient(process.argv[clientIndex + 1] as string).then(() => process.exit(0));
} else if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
