import sharp from 'sharp';
import { encodeSimulatedFrame, systemClock, type Clock } from '@trinetra/shared';
import { FrameSourceBase } from './frame-source-base';
import { SimulatorScene, type SceneOccluder, type SimulatorSceneOptions } from './simulator-scene';

/** Options of {@link SimulatorSource}. */
export interface SimulatorSourceOptions extends SimulatorSceneOptions {
  cameraId: string;
  /** Frames per second. Default 15. */
  fps?: number;
  /**
   * `realtime` (default) emits on a timer at `fps` with wall-clock capture times;
   * `asap` emits as fast as the event loop allows with synthetic capture times spaced 1000/fps
   * apart (benchmarks, load generation, tests), yielding to I/O between bursts.
   */
  pacing?: 'realtime' | 'asap';
  /** Stop after this many frames and end with status `ended`. Default: unbounded. */
  maxFrames?: number;
  /** JPEG quality of the background. Default 80. */
  jpegQuality?: number;
  /** Clock for capture timestamps and status changes. Default: the system clock. */
  clock?: Clock;
}

/** Frames emitted per event-loop turn in `asap` pacing before yielding to I/O. */
const ASAP_BURST = 64;

const backgroundCache = new Map<string, Promise<Buffer>>();

/**
 * Renders the static background once per (size, occluders, quality): a floor and wall with
 * the pillars drawn in, so previews show why people vanish behind them.
 */
export function renderSimulatorBackground(width: number, height: number, occluders: readonly SceneOccluder[], quality = 80): Promise<Buffer> {
  const key = JSON.stringify([width, height, occluders, quality]);
  let cached = backgroundCache.get(key);
  if (!cached) {
    const horizon = Math.round(height * 0.5);
    const pillars = occluders
      .map((o) => `<rect x="${o.x.toFixed(1)}" y="${o.y.toFixed(1)}" width="${o.width.toFixed(1)}" height="${o.height.toFixed(1)}" fill="#5a5f6b"/>`)
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="f" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8c8574"/><stop offset="1" stop-color="#c9c0a8"/></linearGradient></defs>
<rect width="${width}" height="${horizon}" fill="#b7c4cf"/><rect y="${horizon}" width="${width}" height="${height - horizon}" fill="url(#f)"/>${pillars}</svg>`;
    cached = sharp(Buffer.from(svg)).jpeg({ quality }).toBuffer();
    backgroundCache.set(key, cached);
    cached.catch(() => backgroundCache.delete(key));
  }
  return cached;
}

/**
 * A camera made of synthetic people ({@link SimulatorScene}). Each frame is the pre-rendered
 * background JPEG with the frame's ground truth spliced in (`encodeSimulatedFrame`), so the
 * per-frame cost is one small JSON and one buffer copy.
 */
export class SimulatorSource extends FrameSourceBase {
  readonly kind = 'simulator' as const;
  readonly scene: SimulatorScene;
  private readonly fps: number;
  private readonly pacing: 'realtime' | 'asap';
  private readonly maxFrames: number;
  private readonly quality: number;
  private background: Buffer | null = null;
  private seq = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private running = false;
  private startedAt = 0;

  constructor(options: SimulatorSourceOptions) {
    super(options.cameraId, options.clock ?? systemClock);
    this.scene = new SimulatorScene(options);
    this.fps = options.fps ?? 15;
    this.pacing = options.pacing ?? 'realtime';
    this.maxFrames = options.maxFrames ?? Number.POSITIVE_INFINITY;
    this.quality = options.jpegQuality ?? 80;
    if (!(this.fps > 0)) throw new RangeError(`fps must be > 0, got ${this.fps}`);
  }

  /** Frames emitted so far. */
  get framesEmitted(): number {
    return this.seq;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.setStatus('connecting');
    this.background = await renderSimulatorBackground(this.scene.width, this.scene.height, this.scene.occluders, this.quality);
    this.running = true;
    this.startedAt = this.clock.now();
    this.setStatus('live');
    this.schedule();
  }

  async stop(): Promise<void> {
    this.clearTimer();
    if (this.running || this.status === 'connecting') this.setStatus('stopped');
    this.running = false;
  }

  protected override onResume(): void {
    if (this.running && !this.timer) this.schedule();
  }

  private clearTimer(): void {
    if (!this.timer) return;
    if (this.pacing === 'asap') clearImmediate(this.timer as NodeJS.Immediate);
    else clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = null;
  }

  private schedule(): void {
    if (!this.running || this.paused) return;
    if (this.pacing === 'asap') {
      this.timer = setImmediate(() => {
        this.timer = null;
        for (let i = 0; i < ASAP_BURST && this.running && !this.paused; i += 1) this.emitNext(this.startedAt + (this.seq * 1000) / this.fps);
        this.schedule();
      });
      return;
    }
    const due = this.startedAt + (this.seq * 1000) / this.fps;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.emitNext(this.clock.now());
      this.schedule();
    }, Math.max(0, due - this.clock.now()));
  }

  private emitNext(captureTs: number): void {
    if (this.seq >= this.maxFrames) {
      this.running = false;
      this.setStatus('ended', { reason: 'ENDED' });
      return;
    }
    if (this.seq > 0) this.scene.step(1000 / this.fps);
    const jpeg = encodeSimulatedFrame(this.background as Buffer, this.scene.truth());
    const seq = this.seq;
    this.seq += 1;
    this.emitFrame({ cameraId: this.cameraId, seq, captureTs, ptsMs: (seq * 1000) / this.fps, jpeg, width: this.scene.width, height: this.scene.height });
    if (this.seq >= this.maxFrames) {
      this.running = false;
      this.setStatus('ended', { reason: 'ENDED' });
    }
  }
}
