'use client';

import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Analysis } from '../graphql';

const PHASE_COLOURS: Record<string, string> = {
  DOWN: '#fde68a',
  UP: '#bbf7d0',
  ECCENTRIC: '#fde68a',
  CONCENTRIC: '#bbf7d0',
  FLIGHT: '#bfdbfe',
  CONTACT: '#fecaca',
  LANDING: '#e9d5ff',
  QUIET: '#f1f5f9',
};

const LABELS: Record<string, string> = {
  KNEE_ANGLE: 'Knee angle',
  COM_HEIGHT: 'Centre of mass height',
  LOWER_ANKLE_HEIGHT: 'Lower ankle height',
};

/** The analysed body signal over time, phases shaded, each measured event marked where it ends. */
export function AnalysisChart({ analysis }: { analysis: Analysis }) {
  const signal = analysis.signal;
  if (!signal) return null;
  const data = signal.values.map((v, i) => ({ t: Math.round((i / signal.fps) * 100) / 100, v }));
  const label = `${LABELS[signal.name] ?? signal.name} (${signal.unit})`;
  return (
    <figure className="card analysis-chart" data-testid="analysis-chart" data-points={data.length} data-events={analysis.results.length}>
      <figcaption className="muted small">
        {label} over time, phases shaded, {analysis.results.length} {analysis.results[0]?.kind.toLowerCase() ?? 'event'}s marked
      </figcaption>
      <div style={{ width: '100%', height: 300 }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} unit=" s" />
            <YAxis domain={['auto', 'auto']} width={56} />
            <Tooltip formatter={(value) => [`${String(value)} ${signal.unit}`, LABELS[signal.name] ?? signal.name]} labelFormatter={(t) => `${String(t)} s`} />
            {analysis.phases.map((p, i) => (
              <ReferenceArea key={`${p.name}-${i}`} x1={p.startS} x2={p.endS} fill={PHASE_COLOURS[p.name] ?? '#e2e8f0'} fillOpacity={0.6} ifOverflow="hidden" />
            ))}
            {analysis.results.map((e) => (
              <ReferenceLine
                key={`${e.kind}-${e.index}`}
                x={e.endS}
                stroke="#0f172a"
                strokeDasharray="4 2"
                label={{ value: `${e.kind.toLowerCase()} ${e.index}`, position: 'top', fontSize: 11 }}
              />
            ))}
            <Line dataKey="v" stroke="#0ea5e9" dot={false} isAnimationActive={false} connectNulls={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
