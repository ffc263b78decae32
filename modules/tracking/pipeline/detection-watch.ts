import type { CameraRef } from '@trinetra/shared';
import { framePerceptionOf } from './frame-perception';

/**
 * After this many processed frames in a row with nobody detected, a running camera gets a
 * warning (issue 18: "no one detected" is a state, not "healthy"). 100 frames is 10 s at the
 * default 10 fps: long enough that an empty corridor for a moment does not warn at once.
 */
export const NO_DETECTION_WARNING_FRAMES = 100;

/** Consecutive processed frames without a person, per camera run, and the warning they give. */
export class DetectionWatch {
  private empty = 0;
  private lastSize: { width: number; height: number } | null = null;

  constructor(
    private readonly camera: Pick<CameraRef, 'sourceKind' | 'perception' | 'tiled'>,
    private readonly threshold: number = NO_DETECTION_WARNING_FRAMES,
  ) {}

  /** Called for every processed frame with the number of people the worker found. */
  frame(people: number, width: number, height: number): void {
    this.empty = people > 0 ? 0 : this.empty + 1;
    this.lastSize = { width, height };
  }

  get framesWithoutPeople(): number {
    return this.empty;
  }

  /** The warning with a hint (perception profile, resolution), or null while people are seen. */
  warning(): string | null {
    if (this.empty < this.threshold) return null;
    const { perception, tiled } = framePerceptionOf(this.camera);
    const size = this.lastSize ? `${this.lastSize.width}x${this.lastSize.height}` : 'unknown size';
    const hints: string[] = [];
    if (perception === 'SCENE') {
      hints.push('if one person fills the frame (a phone, a webcam, coaching), set the perception to CLOSE_UP');
      if (!tiled) hints.push('if people are small or many, turn on tiles');
    } else if (perception === 'CLOSE_UP') {
      hints.push('if people are small in a wide view (a store camera), set the perception to SCENE');
    }
    if (this.lastSize && Math.min(this.lastSize.width, this.lastSize.height) < 360) hints.push(`the frames are only ${size}: a higher resolution helps`);
    return `No one detected in the last ${this.empty} processed frames (${perception.toLowerCase().replace('_', '-')}, ${size}). If people are in view: ${hints.join('; ') || 'check the camera points at them'}.`;
  }
}
