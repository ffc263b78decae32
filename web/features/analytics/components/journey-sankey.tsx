'use client';

import { ResponsiveContainer, Sankey, Tooltip } from 'recharts';
import type { JourneyGraph } from '../domain/journey-graph';

interface NodeProps {
  x: number;
  y: number;
  width: number;
  height: number;
  payload: { name: string; value: number };
}

/** A zone bar with its name and how many moves went through it. */
function JourneyNode({ x, y, width, height, payload }: NodeProps) {
  return (
    <g>
      <rect x={x} y={y} width={width} height={height} fill="#0ea5e9" />
      <text x={x + width + 6} y={y + height / 2} dy="0.35em" fontSize={13} fill="#0f172a">
        {payload.name} ({payload.value})
      </text>
    </g>
  );
}

/** The Sankey drawing of a two-column journey graph (the graph must have at least one link). */
export function JourneySankey({ graph, labelWidth = 120 }: { graph: JourneyGraph; labelWidth?: number }) {
  return (
    <div style={{ width: '100%', height: 260 }}>
      <ResponsiveContainer>
        <Sankey
          data={graph}
          nodePadding={24}
          margin={{ top: 8, right: labelWidth, bottom: 8, left: 8 }}
          link={{ stroke: '#0ea5e9' }}
          node={(props: NodeProps) => <JourneyNode {...props} />}
        >
          <Tooltip />
        </Sankey>
      </ResponsiveContainer>
    </div>
  );
}
