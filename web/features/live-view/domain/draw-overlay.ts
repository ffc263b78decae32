/**
 * Draws one timeline sample: boxes with track ids, skeletons and keypoints, colour per track,
 * over an optional background image. Coordinates are frame pixels; the canvas is sized to the
 * frame and scaled by CSS.
 */
import type { TrackResult } from './frame-result';
import { edgesFor, trackColour } from './skeleton';

/** The subset of the 2D context we use (keeps the function testable with a fake). */
export type OverlayContext = Pick<
  CanvasRenderingContext2D,
  | 'clearRect' | 'fillRect' | 'drawImage' | 'strokeRect' | 'beginPath' | 'moveTo' | 'lineTo' | 'stroke'
  | 'arc' | 'fill' | 'fillText' | 'measureText' | 'save' | 'restore' | 'scale' | 'setLineDash'
  | 'fillStyle' | 'strokeStyle' | 'lineWidth' | 'font' | 'globalAlpha' | 'lineCap'
>;

/** Options of {@link drawOverlay}. */
export interface DrawOverlayOptions {
  readonly width: number;
  readonly height: number;
  /** Drawn first, stretched to the frame; null leaves the canvas transparent or filled. */
  readonly background: CanvasImageSource | null;
  /** Fill when there is no background; null keeps the canvas transparent (webcam overlay). */
  readonly fill: string | null;
  readonly minKeypointScore: number;
  /** Dims everything when the results are stale. */
  readonly stale: boolean;
  /** The canvas is shown mirrored (selfie view): labels are drawn mirrored so they read right. */
  readonly mirrored?: boolean;
  /** Names of tracks identity recognised (track id -> display name), drawn after the id. */
  readonly names?: ReadonlyMap<number, string>;
  /**
   * Tracks identity matched only weakly (track id -> similarity): they resemble someone enrolled
   * but scored below the match threshold, so they get an "unconfirmed" badge and never a name.
   * A name for the same track wins (the track was named later).
   */
  readonly weak?: ReadonlyMap<number, number>;
}

/** Text colour and fill of the weak-match badge: dark with amber, unlike a name on the track's colour. */
export const WEAK_BADGE = { fill: '#1f2937', text: '#fbbf24' } as const;

/** The badge of a weakly matched track: a question mark and the similarity, never who. */
export function weakBadge(similarity: number): string {
  return `? unconfirmed ${similarity.toFixed(2)}`;
}

/** What was drawn, exposed by the canvas layer for tests and diagnostics. */
export interface DrawStats {
  readonly tracks: number;
  readonly keypoints: number;
  readonly bones: number;
  /** Names drawn on tracks, in track order. */
  readonly names: readonly string[];
  /** Track ids drawn with the weak-match ("unconfirmed") badge, in track order. */
  readonly weak: readonly number[];
}

export function drawOverlay(ctx: OverlayContext, tracks: readonly TrackResult[], options: DrawOverlayOptions): DrawStats {
  const { width, height, minKeypointScore } = options;
  ctx.clearRect(0, 0, width, height);
  if (options.background) ctx.drawImage(options.background, 0, 0, width, height);
  else if (options.fill) {
    ctx.fillStyle = options.fill;
    ctx.fillRect(0, 0, width, height);
  }
  const scale = Math.max(1, Math.min(width, height) / 240);
  let keypoints = 0;
  let bones = 0;
  const named: string[] = [];
  const weakDrawn: number[] = [];
  ctx.save();
  ctx.globalAlpha = options.stale ? 0.4 : 1;
  ctx.lineCap = 'round';
  for (const track of tracks) {
    const colour = trackColour(track.trackId);
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 1.5 * scale;
    const name = options.names?.get(Number(track.trackId));
    const similarity = name ? undefined : options.weak?.get(Number(track.trackId));
    const weak = similarity !== undefined;
    // A weak match's box is dashed: at a glance it is not a recognised person.
    if (weak) ctx.setLineDash([4 * scale, 3 * scale]);
    ctx.strokeRect(track.box.x, track.box.y, track.box.width, track.box.height);
    if (weak) ctx.setLineDash([]);

    if (name) named.push(name);
    if (weak) weakDrawn.push(Number(track.trackId));
    const label = name ? `#${track.trackId} ${name}` : weak ? `#${track.trackId} ${weakBadge(similarity)}` : `#${track.trackId}`;
    ctx.font = `${Math.round(9 * scale)}px system-ui, sans-serif`;
    const labelWidth = ctx.measureText(label).width + 6 * scale;
    const labelHeight = 12 * scale;
    const labelY = Math.max(0, track.box.y - labelHeight);
    if (weak) ctx.fillStyle = WEAK_BADGE.fill;
    ctx.fillRect(track.box.x, labelY, labelWidth, labelHeight);
    ctx.fillStyle = weak ? WEAK_BADGE.text : '#000';
    if (options.mirrored) {
      ctx.save();
      ctx.scale(-1, 1);
      ctx.fillText(label, -(track.box.x + labelWidth) + 3 * scale, labelY + labelHeight - 3 * scale);
      ctx.restore();
    } else {
      ctx.fillText(label, track.box.x + 3 * scale, labelY + labelHeight - 3 * scale);
    }

    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 2 * scale;
    for (const [a, b] of edgesFor(track.keypoints.length)) {
      const ka = track.keypoints[a];
      const kb = track.keypoints[b];
      if (!ka || !kb || ka.score < minKeypointScore || kb.score < minKeypointScore) continue;
      ctx.beginPath();
      ctx.moveTo(ka.x, ka.y);
      ctx.lineTo(kb.x, kb.y);
      ctx.stroke();
      bones += 1;
    }
    for (const k of track.keypoints) {
      if (k.score < minKeypointScore) continue;
      ctx.beginPath();
      ctx.arc(k.x, k.y, 2.5 * scale, 0, Math.PI * 2);
      ctx.fill();
      keypoints += 1;
    }
  }
  ctx.restore();
  return { tracks: tracks.length, keypoints, bones, names: named, weak: weakDrawn };
}
