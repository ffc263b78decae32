import { journeyGraph } from './journey-graph';

describe('journeyGraph', () => {
  const names = new Map([
    ['a', 'Door'],
    ['b', 'Aisle'],
  ]);

  it('puts each zone once per column, so moves both ways make no cycle', () => {
    const graph = journeyGraph(
      [
        { fromZoneId: 'a', toZoneId: 'b', count: 5 },
        { fromZoneId: 'b', toZoneId: 'a', count: 2 },
      ],
      names,
    );
    expect(graph.nodes.map((n) => n.name)).toEqual(['Door', 'Aisle (next)', 'Aisle', 'Door (next)']);
    expect(graph.links).toEqual([
      { source: 0, target: 1, value: 5 },
      { source: 2, target: 3, value: 2 },
    ]);
  });

  it('skips moves of zones that no longer exist', () => {
    expect(journeyGraph([{ fromZoneId: 'gone', toZoneId: 'b', count: 1 }], names)).toEqual({ nodes: [], links: [] });
  });
});
