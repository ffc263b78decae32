/** One edge of a tenant's camera graph: the least time from one camera's view to another's. */
export interface CameraLink {
  fromCameraId: string;
  toCameraId: string;
  minTransitSeconds: number;
}

/**
 * A tenant's cameras and the minimum transit times between them (edited per tenant,
 * `setCameraLinks`). The least time between two cameras is the shortest path over the links,
 * so a tenant only enters neighbouring cameras. Cameras absent from the graph are "unplaced":
 * the gate does not judge them (a tenant that never drew a graph gets no rejections).
 */
export class CameraGraph {
  private readonly edges = new Map<string, Map<string, number>>();

  constructor(links: readonly CameraLink[] = []) {
    for (const l of links) {
      if (!Number.isFinite(l.minTransitSeconds) || l.minTransitSeconds < 0) throw new RangeError('minTransitSeconds must be a non-negative number');
      if (l.fromCameraId === l.toCameraId) throw new RangeError('a link joins two different cameras');
      const out = this.edges.get(l.fromCameraId) ?? new Map<string, number>();
      out.set(l.toCameraId, Math.min(out.get(l.toCameraId) ?? Infinity, l.minTransitSeconds * 1000));
      this.edges.set(l.fromCameraId, out);
      if (!this.edges.has(l.toCameraId)) this.edges.set(l.toCameraId, new Map());
    }
  }

  /** Whether the camera appears in any link. */
  places(cameraId: string): boolean {
    return this.edges.has(cameraId);
  }

  /** The least milliseconds from one camera to another (0 for the same camera; Infinity: no path). */
  minTransitMs(from: string, to: string): number {
    if (from === to) return 0;
    // Dijkstra over a handful of cameras: an array scan beats a heap at this size.
    const dist = new Map<string, number>([[from, 0]]);
    const done = new Set<string>();
    for (;;) {
      let current: string | undefined;
      let best = Infinity;
      for (const [node, d] of dist) if (!done.has(node) && d < best) [current, best] = [node, d];
      if (current === undefined) return Infinity;
      if (current === to) return best;
      done.add(current);
      for (const [next, w] of this.edges.get(current) ?? []) if (best + w < (dist.get(next) ?? Infinity)) dist.set(next, best + w);
    }
  }
}
