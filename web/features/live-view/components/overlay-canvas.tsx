'use client';

import { useEffect, useRef } from 'react';
import { DEFAULT_FRAME_SIZE } from '../domain/frame-result';
import { drawOverlay } from '../domain/draw-overlay';
import type { FrameTimeline } from '../domain/frame-timeline';

/** Props of {@link OverlayCanvas}. */
export interface OverlayCanvasProps {
  readonly timeline: FrameTimeline;
  /** Background per frame (preview image); null when there is none. */
  readonly background?: () => CanvasImageSource | null;
  /** Fill behind the tracks when there is no background; null for a transparent overlay. */
  readonly fill?: string | null;
  /** Mirrors horizontally (a selfie camera). */
  readonly mirrored?: boolean;
  readonly label: string;
  readonly className?: string;
  /** Names of recognised tracks (read every frame); absent: ids only. */
  readonly names?: () => ReadonlyMap<number, string>;
  /** Weakly matched tracks (track id -> similarity, read every frame): an "unconfirmed" badge, no name. */
  readonly weak?: () => ReadonlyMap<number, number>;
}

/**
 * Renders the timeline at display rate (requestAnimationFrame), interpolating between the two
 * latest results. Exposes what it drew as data attributes: `data-frames-drawn`,
 * `data-track-count`, `data-keypoint-count`, `data-bone-count`, `data-results-received`,
 * `data-last-seq`, `data-has-background`, `data-stale`, `data-track-names` (recognised names drawn, `|`-separated), `data-weak-tracks`
 * (ids of the tracks drawn with the weak-match badge, `|`-separated).
 */
export function OverlayCanvas({ timeline, background, fill = '#111', mirrored = false, label, className, names, weak }: OverlayCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const backgroundRef = useRef(background);
  backgroundRef.current = background;
  const namesRef = useRef(names);
  namesRef.current = names;
  const weakRef = useRef(weak);
  weakRef.current = weak;

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return undefined;
    let framesDrawn = 0;
    let handle = 0;
    const render = () => {
      handle = requestAnimationFrame(render);
      const sample = timeline.sample(performance.now());
      const width = sample?.result.width ?? DEFAULT_FRAME_SIZE.width;
      const height = sample?.result.height ?? DEFAULT_FRAME_SIZE.height;
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      const bg = backgroundRef.current?.() ?? null;
      const stats = drawOverlay(ctx, sample?.tracks ?? [], {
        width, height, background: bg, fill, minKeypointScore: timeline.minKeypointScore, stale: sample?.stale ?? false, mirrored,
        ...(namesRef.current ? { names: namesRef.current() } : {}),
        ...(weakRef.current ? { weak: weakRef.current() } : {}),
      });
      framesDrawn += 1;
      const d = canvas.dataset;
      d.framesDrawn = String(framesDrawn);
      d.trackCount = String(stats.tracks);
      d.keypointCount = String(stats.keypoints);
      d.boneCount = String(stats.bones);
      d.trackNames = stats.names.join('|');
      d.weakTracks = stats.weak.join('|');
      d.resultsReceived = String(timeline.resultsReceived);
      d.lastSeq = sample ? String(sample.result.seq) : '';
      d.hasBackground = bg ? 'true' : 'false';
      d.stale = sample?.stale ? 'true' : 'false';
    };
    handle = requestAnimationFrame(render);
    return () => cancelAnimationFrame(handle);
  }, [timeline, fill, mirrored]);

  return (
    <canvas
      ref={canvasRef}
      className={`overlay-canvas${mirrored ? ' overlay-canvas--mirrored' : ''}${className ? ` ${className}` : ''}`}
      width={DEFAULT_FRAME_SIZE.width}
      height={DEFAULT_FRAME_SIZE.height}
      role="img"
      aria-label={label}
      data-testid="live-canvas"
      data-frames-drawn="0"
      data-track-count="0"
    />
  );
}
