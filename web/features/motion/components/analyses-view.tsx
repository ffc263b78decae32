'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import {
  ANALYSES_QUERY,
  ANALYSIS_COMPLETED_SUBSCRIPTION,
  ANALYSIS_PROGRESS_SUBSCRIPTION,
  ANALYSIS_QUERY,
  CREATE_ANALYSIS_MUTATION,
  SPORTS_QUERY,
  type Analysis,
  type AnalysesResult,
  type AnalysisCompletedResult,
  type AnalysisProgressResult,
  type AnalysisResult,
  type CreateAnalysisResult,
  type Sport,
  type SportsResult,
} from '../graphql';
import { AnalysisChart } from './analysis-chart';

/** The server's default request body limit is 1 MB; base64 adds a third. */
const MAX_UPLOAD_BYTES = 700_000;

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}

function fmt(value: number | null, unit: string): string {
  if (value === null) return '—';
  if (unit === 'reps' || unit === 'steps') return `${Math.round(value)} ${unit}`;
  const digits = unit === 'm' || unit === 's' || unit === 'ratio' ? 3 : unit === 'deg' || unit === 'steps/min' ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** Upload a video, choose the sport, follow progress, read the results. */
export function AnalysesView() {
  const [{ data: sports }] = useQuery<SportsResult>({ query: SPORTS_QUERY });
  const [{ data: list }, refetchList] = useQuery<AnalysesResult>({ query: ANALYSES_QUERY, variables: { first: 20 }, requestPolicy: 'cache-and-network' });
  const [, create] = useMutation<CreateAnalysisResult>(CREATE_ANALYSIS_MUTATION);
  const [sport, setSport] = useState<Sport>('SQUAT');
  const [heightCm, setHeightCm] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [{ data: progress }] = useSubscription<AnalysisProgressResult>({
    query: ANALYSIS_PROGRESS_SUBSCRIPTION,
    variables: { analysisId: selectedId },
    pause: !selectedId,
  });
  const [{ data: completed }] = useSubscription<AnalysisCompletedResult>({
    query: ANALYSIS_COMPLETED_SUBSCRIPTION,
    variables: { analysisId: selectedId },
    pause: !selectedId,
  });
  const [{ data: detail }, refetchDetail] = useQuery<AnalysisResult>({
    query: ANALYSIS_QUERY,
    variables: { id: selectedId },
    pause: !selectedId,
    requestPolicy: 'network-only',
  });
  // A completion that arrived before the subscription was set up is caught by polling.
  const status = detail?.analysis.status;
  useEffect(() => {
    if (!selectedId || status === 'DONE' || status === 'FAILED') return;
    const timer = setInterval(() => refetchDetail({ requestPolicy: 'network-only' }), 3_000);
    return () => clearInterval(timer);
  }, [selectedId, status, refetchDetail]);
  useEffect(() => {
    if (completed) refetchList({ requestPolicy: 'network-only' });
  }, [completed, refetchList]);

  const analysis: Analysis | undefined =
    completed?.analysisCompleted.id === selectedId ? completed.analysisCompleted : detail?.analysis.id === selectedId ? detail.analysis : undefined;
  const info = sports?.sports.find((s) => s.sport === sport);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!file) return setError('Choose a video file.');
    if (file.size > MAX_UPLOAD_BYTES) return setError(`The video is ${(file.size / 1e6).toFixed(1)} MB; uploads here are limited to 0.7 MB (use a video job for larger files).`);
    setBusy(true);
    try {
      const contentBase64 = await readBase64(file);
      const height = Number(heightCm);
      const result = await create({
        input: { sport, source: { upload: { filename: file.name, contentBase64 } }, ...(heightCm && Number.isFinite(height) ? { athlete: { heightCm: height } } : {}) },
      });
      if (result.error) setError(result.error.graphQLErrors[0]?.message ?? result.error.message);
      else if (result.data) {
        setSelectedId(result.data.createAnalysis.id);
        refetchList({ requestPolicy: 'network-only' });
      }
    } finally {
      setBusy(false);
    }
  }

  const live = progress?.analysisProgress.analysisId === selectedId ? progress?.analysisProgress : undefined;
  const shownStatus = analysis?.status ?? live?.status ?? (selectedId ? 'QUEUED' : null);
  const shownProgress = analysis && (analysis.status === 'DONE' || analysis.status === 'FAILED') ? 1 : (live?.progress ?? analysis?.progress ?? 0);
  const summary = analysis?.metrics ?? [];

  return (
    <section className="stack">
      <h1>Analyses</h1>
      <form className="card stack" onSubmit={submit} aria-label="New analysis">
        <div className="row">
          <label>
            Sport{' '}
            <select name="sport" value={sport} onChange={(e) => setSport(e.target.value as Sport)} data-testid="sport-select">
              {(sports?.sports ?? []).map((s) => (
                <option key={s.sport} value={s.sport}>
                  {s.title}
                </option>
              ))}
            </select>
          </label>
          <label>
            Athlete height (cm){' '}
            <input name="heightCm" type="number" min={90} max={250} value={heightCm} onChange={(e) => setHeightCm(e.target.value)} placeholder="optional" />
          </label>
          <label>
            Video <input name="video" type="file" accept="video/*" data-testid="video-input" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Uploading…' : 'Analyse'}
          </button>
        </div>
        {info ? (
          <p className="muted small">
            Camera set-up: {info.cameraSetup} Measures: {info.metrics.map((m) => `${m.key} (${m.unit})`).join(', ')}.
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
      </form>

      {selectedId ? (
        <article className="card stack" data-testid="analysis" data-status={shownStatus ?? ''}>
          <header className="row">
            <strong>{analysis?.source.filename ?? 'Analysis'}</strong>
            <span className="muted small">{analysis?.sport ?? sport}</span>
            <span data-testid="analysis-status">{shownStatus}</span>
            <progress max={1} value={shownProgress} aria-label="Progress" />
            {live ? <span className="muted small">{live.stage.toLowerCase()}</span> : null}
          </header>
          {analysis?.status === 'FAILED' ? (
            <p role="status" data-testid="analysis-reason">
              No numbers: {analysis.reason}. {analysis.reasonDetail}
            </p>
          ) : null}
          {analysis?.status === 'DONE' ? (
            <>
              <dl className="metrics" data-testid="analysis-metrics">
                {summary.map((m) => (
                  <div key={m.key} data-testid={`metric-${m.key}`} data-value={m.value ?? ''}>
                    <dt>{m.key}</dt>
                    <dd>{fmt(m.value, m.unit)}</dd>
                  </div>
                ))}
              </dl>
              <p className="muted small">
                Track {analysis.trackId} ({analysis.trackChoice === 'REQUESTED' ? 'requested' : 'main person: the largest in each frame'})
                {analysis.candidateTrackIds.length > 1 ? `; other people seen: ${analysis.candidateTrackIds.slice(1).join(', ')}` : ''}. {analysis.frameCount} frames at{' '}
                {analysis.fps} fps.
              </p>
              <AnalysisChart analysis={analysis} />
              <table data-testid="analysis-results">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>From</th>
                    <th>To</th>
                    {(analysis.results[0]?.values ?? []).map((v) => (
                      <th key={v.key}>{v.key}</th>
                    ))}
                    <th>Confidence</th>
                  </tr>
                </thead>
                <tbody>
                  {analysis.results.map((e) => (
                    <tr key={`${e.kind}-${e.index}`} data-testid="analysis-event">
                      <td>
                        {e.kind.toLowerCase()} {e.index}
                      </td>
                      <td>{e.startS.toFixed(2)} s</td>
                      <td>{e.endS.toFixed(2)} s</td>
                      {e.values.map((v) => (
                        <td key={v.key}>{fmt(v.value, v.unit)}</td>
                      ))}
                      <td>{e.confidence.toFixed(2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </article>
      ) : null}

      <section className="card">
        <h2>Recent analyses</h2>
        <ul className="plain-list">
          {(list?.analyses.edges ?? []).map(({ node }) => (
            <li key={node.id}>
              <button type="button" className="link-button" onClick={() => setSelectedId(node.id)}>
                {node.source.filename ?? node.source.kind} · {node.sport} · {node.status}
                {node.reason ? ` (${node.reason})` : ''}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
