'use client';

import { useEffect, useRef } from 'react';
import { drawHeatmap, drawZones, type DrawableZone, type HeatmapCells } from '../domain/draw-analytics';

/** Props of {@link ZoneCanvas}. */
export interface ZoneCanvasProps {
  /** The camera picture (latest preview); null draws a dark floor. */
  readonly background: () => CanvasImageSource | null;
  readonly size: () => { width: number; height: number };
  readonly zones: readonly DrawableZone[];
  readonly draft: DrawableZone | null;
  /** Heatmap overlay; null hides it. */
  readonly heatmap: HeatmapCells | null;
  /** A click on the picture, in normalized image coordinates (0..1). */
  readonly onPoint: ((x: number, y: number) => void) | null;
}

/**
 * The camera picture with the heatmap, the saved zones and the zone being drawn, redrawn at
 * display rate. Exposes what it drew: `data-zone-count`, `data-heat-cells`, `data-has-background`.
 */
export function ZoneCanvas({ background, size, zones, draft, heatmap, onPoint }: ZoneCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const state = useRef({ background, size, zones, draft, heatmap });
  state.current = { background, size, zones, draft, heatmap };

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return undefined;
    let handle = 0;
    const render = () => {
      handle = requestAnimationFrame(render);
      const s = state.current;
      const { width, height } = s.size();
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      const bg = s.background();
      if (bg) ctx.drawImage(bg, 0, 0, width, height);
      else {
        ctx.fillStyle = '#1f2937';
        ctx.fillRect(0, 0, width, height);
      }
      const lit = s.heatmap ? drawHeatmap(ctx, s.heatmap, width, height) : 0;
      drawZones(ctx, s.zones, s.draft, width, height);
      canvas.dataset.zoneCount = String(s.zones.length);
      canvas.dataset.heatCells = String(lit);
      canvas.dataset.hasBackground = bg ? 'true' : 'false';
    };
    handle = requestAnimationFrame(render);
    return () => cancelAnimationFrame(handle);
  }, []);

  return (
    <canvas
      ref={canvasRef}
      className="stage__overlay zone-canvas"
      data-testid="zone-canvas"
      aria-label="Camera picture with zones; click to add points while drawing"
      style={{ width: '100%', height: '100%', cursor: onPoint ? 'crosshair' : 'default' }}
      onClick={(event) => {
        if (!onPoint) return;
        const rect = event.currentTarget.getBoundingClientRect();
        const x = (event.clientX - rect.left) / rect.width;
        const y = (event.clientY - rect.top) / rect.height;
        onPoint(Math.min(1, Math.max(0, Number(x.toFixed(4)))), Math.min(1, Math.max(0, Number(y.toFixed(4)))));
      }}
    />
  );
}
