/** Zone-to-zone moves as a two-column Sankey graph: left = the zone left, right = the zone entered next. */
export interface JourneyGraph {
  nodes: { name: string }[];
  links: { source: number; target: number; value: number }[];
}

/**
 * Builds the graph with each zone at most once per column, so A -> B and B -> A never make a
 * cycle (a Sankey layout needs a DAG). Moves between unknown zones (deleted since) are skipped.
 */
export function journeyGraph(moves: readonly { fromZoneId: string; toZoneId: string; count: number }[], zoneNames: ReadonlyMap<string, string>): JourneyGraph {
  const nodes: { name: string }[] = [];
  const left = new Map<string, number>();
  const right = new Map<string, number>();
  const indexOf = (column: Map<string, number>, zoneId: string, suffix: string): number => {
    let i = column.get(zoneId);
    if (i === undefined) {
      i = nodes.length;
      nodes.push({ name: `${zoneNames.get(zoneId)}${suffix}` });
      column.set(zoneId, i);
    }
    return i;
  };
  const links = moves
    .filter((m) => zoneNames.has(m.fromZoneId) && zoneNames.has(m.toZoneId) && m.count > 0)
    .map((m) => ({ source: indexOf(left, m.fromZoneId, ''), target: indexOf(right, m.toZoneId, ' (next)'), value: m.count }));
  return { nodes, links };
}
