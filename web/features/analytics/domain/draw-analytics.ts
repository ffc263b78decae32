/** Drawing of the analytics canvas: camera picture, heatmap, zones and the zone being drawn. Pure over a 2D context. */

export interface DrawableZone {
  name: string;
  kind: 'AREA' | 'LINE';
  points: readonly (readonly number[])[];
}

export interface HeatmapCells {
  cols: number;
  rows: number;
  cells: readonly number[];
  max: number;
}

/** Heat colour of a value in 0..1: transparent blue through yellow to red. */
export function heatColor(t: number): [number, number, number, number] {
  const v = Math.max(0, Math.min(1, t));
  const r = Math.round(255 * Math.min(1, v * 2));
  const g = Math.round(255 * (v < 0.5 ? v * 2 : 2 - v * 2));
  const b = Math.round(255 * Math.max(0, 1 - v * 3));
  return [r, g, b, v === 0 ? 0 : Math.round(60 + 140 * v)];
}

/**
 * Draws the heatmap scaled over the whole canvas; the square root of each count keeps a spot
 * where someone stood a long time from hiding every path. Returns the number of lit cells.
 */
export function drawHeatmap(ctx: CanvasRenderingContext2D, heat: HeatmapCells, width: number, height: number): number {
  if (heat.max <= 0) return 0;
  const cw = width / heat.cols;
  const ch = height / heat.rows;
  const scale = Math.sqrt(heat.max);
  let lit = 0;
  for (let row = 0; row < heat.rows; row += 1) {
    for (let col = 0; col < heat.cols; col += 1) {
      const value = heat.cells[row * heat.cols + col] ?? 0;
      if (value <= 0) continue;
      lit += 1;
      const [r, g, b, a] = heatColor(Math.sqrt(value) / scale);
      ctx.fillStyle = `rgba(${r},${g},${b},${(a / 255).toFixed(3)})`;
      ctx.fillRect(col * cw, row * ch, Math.ceil(cw), Math.ceil(ch));
    }
  }
  return lit;
}

const AREA_COLOUR = '#22d3ee';
const LINE_COLOUR = '#f472b6';

/** Draws saved zones (filled AREA polygons, LINE arrows from the first point to the second) and the draft. */
export function drawZones(ctx: CanvasRenderingContext2D, zones: readonly DrawableZone[], draft: DrawableZone | null, width: number, height: number): void {
  ctx.lineWidth = 2;
  ctx.font = '14px system-ui, sans-serif';
  for (const zone of [...zones, ...(draft ? [draft] : [])]) {
    const pts = zone.points.map(([x, y]) => [x! * width, y! * height] as const);
    if (pts.length === 0) continue;
    const colour = zone.kind === 'AREA' ? AREA_COLOUR : LINE_COLOUR;
    ctx.strokeStyle = colour;
    ctx.setLineDash(zone === draft ? [6, 4] : []);
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    if (zone.kind === 'AREA' && zone !== draft) {
      ctx.closePath();
      ctx.fillStyle = 'rgba(34, 211, 238, 0.15)';
      ctx.fill();
    }
    ctx.stroke();
    for (const [x, y] of pts) {
      ctx.fillStyle = colour;
      ctx.fillRect(x - 3, y - 3, 6, 6);
    }
    if (zone.kind === 'LINE' && pts.length === 2) drawArrowHead(ctx, pts[0]!, pts[1]!, colour);
    ctx.setLineDash([]);
    if (zone.name) {
      ctx.fillStyle = '#fff';
      ctx.fillText(zone.name, pts[0]![0] + 6, pts[0]![1] - 6);
    }
  }
}

function drawArrowHead(ctx: CanvasRenderingContext2D, [ax, ay]: readonly [number, number], [bx, by]: readonly [number, number], colour: string): void {
  const angle = Math.atan2(by - ay, bx - ax);
  ctx.fillStyle = colour;
  ctx.beginPath();
  ctx.moveTo(bx, by);
  ctx.lineTo(bx - 12 * Math.cos(angle - 0.4), by - 12 * Math.sin(angle - 0.4));
  ctx.lineTo(bx - 12 * Math.cos(angle + 0.4), by - 12 * Math.sin(angle + 0.4));
  ctx.closePath();
  ctx.fill();
}
