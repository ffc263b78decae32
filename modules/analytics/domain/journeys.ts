/**
 * Journeys: the ordered zone visits of one person in one store visit. The person is a key from
 * the identity module (a named person or an anonymous visit id, the same on every camera) or,
 * without identity, one camera's track. Visits on one camera share its clock and are ordered by
 * entry. Cameras' clocks disagree by up to `skewMs`: when two visits on different cameras
 * entered within that much of each other, their entry order is not evidence, so the visit that
 * ended first comes first (a person passing a short zone on camera A into camera B's zone,
 * with B's clock behind, is still A then B).
 */
export interface ZoneVisit {
  personKey: string;
  cameraId: string;
  zoneId: string;
  /** Epoch ms on the visit's camera clock. */
  enteredAt: number;
  exitedAt: number;
}

export interface Journey {
  personKey: string;
  visits: ZoneVisit[];
}

export interface JourneyOptions {
  /** Clock-skew tolerance between cameras, ms. Default 2000. */
  skewMs?: number;
  /** A gap longer than this between one person's visits starts a new journey (a new store visit). Default 30 min. */
  visitGapMs?: number;
}

export const DEFAULT_JOURNEY_SKEW_MS = 2000;
const DEFAULT_VISIT_GAP_MS = 30 * 60_000;

/** True when `b` must come before `a` although `a` entered first by the clocks. */
function before(b: ZoneVisit, a: ZoneVisit, skewMs: number): boolean {
  if (a.cameraId === b.cameraId) return false;
  if (b.enteredAt - a.enteredAt > skewMs) return false;
  return b.exitedAt < a.exitedAt - skewMs || (Math.abs(b.exitedAt - a.exitedAt) <= skewMs && b.exitedAt < a.exitedAt);
}

/** One person's visits in order (see the file comment); deterministic for equal times. */
export function orderVisits(visits: readonly ZoneVisit[], skewMs: number = DEFAULT_JOURNEY_SKEW_MS): ZoneVisit[] {
  if (!(skewMs >= 0)) throw new RangeError(`skewMs must be >= 0, got ${skewMs}`);
  const sorted = [...visits].sort(
    (a, b) => a.enteredAt - b.enteredAt || a.exitedAt - b.exitedAt || a.cameraId.localeCompare(b.cameraId) || a.zoneId.localeCompare(b.zoneId),
  );
  // Insertion pass: a visit moves ahead of earlier-entered ones only within the skew window, so
  // the work is bounded by how many visits overlap it (journeys are short).
  for (let i = 1; i < sorted.length; i += 1) {
    const v = sorted[i]!;
    let j = i;
    while (j > 0 && before(v, sorted[j - 1]!, skewMs)) {
      sorted[j] = sorted[j - 1]!;
      j -= 1;
    }
    sorted[j] = v;
  }
  return sorted;
}

/** Groups visits by person, orders them, and splits a person's visits into store visits at long gaps. */
export function buildJourneys(visits: readonly ZoneVisit[], options: JourneyOptions = {}): Journey[] {
  const skewMs = options.skewMs ?? DEFAULT_JOURNEY_SKEW_MS;
  const gapMs = options.visitGapMs ?? DEFAULT_VISIT_GAP_MS;
  const byPerson = new Map<string, ZoneVisit[]>();
  for (const v of visits) {
    const list = byPerson.get(v.personKey);
    if (list) list.push(v);
    else byPerson.set(v.personKey, [v]);
  }
  const journeys: Journey[] = [];
  for (const [personKey, list] of byPerson) {
    let current: ZoneVisit[] = [];
    let lastExit = -Infinity;
    for (const v of orderVisits(list, skewMs)) {
      if (current.length > 0 && v.enteredAt - lastExit > gapMs) {
        journeys.push({ personKey, visits: current });
        current = [];
        lastExit = -Infinity;
      }
      current.push(v);
      lastExit = Math.max(lastExit, v.exitedAt);
    }
    if (current.length > 0) journeys.push({ personKey, visits: current });
  }
  return journeys.sort((a, b) => a.visits[0]!.enteredAt - b.visits[0]!.enteredAt || a.personKey.localeCompare(b.personKey));
}

/** Time from leaving one zone to entering the next; an overlap (skew, adjoining views) is 0. */
export function transitMs(from: ZoneVisit, to: ZoneVisit): number {
  return Math.max(0, to.enteredAt - from.exitedAt);
}

export interface FlowNode {
  cameraId: string;
  zoneId: string;
  visits: number;
}

export interface FlowLink {
  fromZoneId: string;
  toZoneId: string;
  count: number;
  medianTransitMs: number;
}

/** Sankey data: zones as nodes (visits), consecutive visits of a journey as links (count, median transit). */
export function journeyFlows(journeys: readonly Journey[]): { nodes: FlowNode[]; links: FlowLink[] } {
  const nodes = new Map<string, FlowNode>();
  const links = new Map<string, { fromZoneId: string; toZoneId: string; transits: number[] }>();
  for (const j of journeys) {
    j.visits.forEach((v, i) => {
      const node = nodes.get(v.zoneId) ?? { cameraId: v.cameraId, zoneId: v.zoneId, visits: 0 };
      node.visits += 1;
      nodes.set(v.zoneId, node);
      const prev = j.visits[i - 1];
      if (!prev || prev.zoneId === v.zoneId) return;
      const key = `${prev.zoneId}>${v.zoneId}`;
      const link = links.get(key) ?? { fromZoneId: prev.zoneId, toZoneId: v.zoneId, transits: [] };
      link.transits.push(transitMs(prev, v));
      links.set(key, link);
    });
  }
  return {
    nodes: [...nodes.values()].sort((a, b) => b.visits - a.visits || a.zoneId.localeCompare(b.zoneId)),
    links: [...links.values()]
      .map((l) => ({ fromZoneId: l.fromZoneId, toZoneId: l.toZoneId, count: l.transits.length, medianTransitMs: median(l.transits) }))
      .sort((a, b) => b.count - a.count || a.fromZoneId.localeCompare(b.fromZoneId) || a.toZoneId.localeCompare(b.toZoneId)),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
