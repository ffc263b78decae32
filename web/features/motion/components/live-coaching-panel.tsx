'use client';

import { useEffect, useState } from 'react';
import { useMutation, useSubscription } from 'urql';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { FormError } from '@/features/forms/components/form-field';
import {
  ANALYSIS_COMPLETED_SUBSCRIPTION,
  CREATE_ANALYSIS_MUTATION,
  METRIC_UPDATED_SUBSCRIPTION,
  type Analysis,
  type AnalysisCompletedResult,
  type AnalysisEvent,
  type CreateAnalysisResult,
  type MetricUpdatedResult,
} from '../graphql';

type LiveSport = 'SQUAT' | 'CMJ';
const WINDOWS_S = [30, 60, 120, 300] as const;

function value(event: AnalysisEvent | undefined, key: string): number | null {
  return event?.values.find((v) => v.key === key)?.value ?? null;
}

interface Props {
  /** The webcam's UPLOAD camera (frames reach the live pipeline through /ingest). */
  readonly cameraId: string | null;
  /** Whether the webcam is sending frames. */
  readonly sending: boolean;
}

/**
 * Live coaching on the webcam: a camera-window analysis (`createAnalysis` with
 * `source.camera`) of the person in front of the camera. Each rep or jump arrives as it
 * settles (`metricUpdated`, routed to this analysis only): the counter and the last rep's depth
 * or the last jump's height update at once. The window has a length chosen up front (the live
 * hub ends an analysis at its window's end; there is no early stop), after which
 * `analysisCompleted` brings the whole window's final count.
 */
export function LiveCoachingPanel({ cameraId, sending }: Props) {
  const [sport, setSport] = useState<LiveSport>('SQUAT');
  const [windowS, setWindowS] = useState<number>(60);
  const [heightCm, setHeightCm] = useState('');
  const [analysisId, setAnalysisId] = useState<string | null>(null);
  const [endsAt, setEndsAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [createResult, create] = useMutation<CreateAnalysisResult>(CREATE_ANALYSIS_MUTATION);

  const [{ data: events }] = useSubscription<MetricUpdatedResult, AnalysisEvent[]>(
    { query: METRIC_UPDATED_SUBSCRIPTION, variables: { analysisId }, pause: !analysisId },
    (previous = [], update) => (update.metricUpdated.analysisId === analysisId ? [...previous, update.metricUpdated.event] : previous),
  );
  const [{ data: completed }] = useSubscription<AnalysisCompletedResult>({
    query: ANALYSIS_COMPLETED_SUBSCRIPTION, variables: { analysisId }, pause: !analysisId,
  });
  const final: Analysis | null = completed?.analysisCompleted.id === analysisId ? completed.analysisCompleted : null;

  useEffect(() => {
    if (endsAt === null || final) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [endsAt, final]);

  async function onStart() {
    if (!cameraId) return;
    const height = Number(heightCm);
    const res = await create({
      input: {
        sport,
        source: { camera: { cameraId, durationSeconds: windowS } },
        athlete: heightCm.trim() !== '' && Number.isFinite(height) ? { heightCm: height } : {},
      },
    });
    if (res.data) {
      setAnalysisId(res.data.createAnalysis.id);
      setEndsAt(Date.now() + windowS * 1000);
    }
  }

  function onReset() {
    setAnalysisId(null);
    setEndsAt(null);
  }

  const seen = events ?? [];
  const last = seen[seen.length - 1];
  const running = analysisId !== null && !final;
  // The final count is the whole window analysed once more (squats: completed reps).
  const finalReps = final?.metrics.find((m) => m.key === 'repCount')?.value ?? null;
  const count = final ? (final.sport === 'SQUAT' && finalReps !== null ? finalReps : final.results.length) : seen.length;
  const secondsLeft = endsAt === null ? null : Math.max(0, Math.ceil((endsAt - now) / 1000));
  const shownSport = final?.sport ?? sport;

  return (
    <section aria-labelledby="coaching-title" className="panel" data-testid="live-coaching"
      data-status={final ? final.status : running ? 'LIVE' : 'IDLE'} data-count={count}>
      <h2 id="coaching-title">Live coaching</h2>
      <div className="form__row">
        <label className="inline-field">
          <span>Sport</span>
          <select data-testid="coaching-sport" value={sport} onChange={(e) => setSport(e.target.value as LiveSport)} disabled={running}>
            <option value="SQUAT">Squat (reps)</option>
            <option value="CMJ">Countermovement jump</option>
          </select>
        </label>
        <label className="inline-field">
          <span>Window</span>
          <select data-testid="coaching-window" value={windowS} onChange={(e) => setWindowS(Number(e.target.value))} disabled={running}>
            {WINDOWS_S.map((s) => <option key={s} value={s}>{s < 60 ? `${s} s` : `${s / 60} min`}</option>)}
          </select>
        </label>
        <label className="inline-field">
          <span>Athlete height (cm)</span>
          <input type="number" min={90} max={250} value={heightCm} onChange={(e) => setHeightCm(e.target.value)} disabled={running} />
        </label>
        {running
          ? <span aria-live="polite" data-testid="coaching-time-left">{secondsLeft === 0 ? 'Finishing…' : `${secondsLeft ?? '—'} s left`}</span>
          : <button type="button" className="button button--primary" onClick={() => void onStart()} disabled={!cameraId || !sending || createResult.fetching}>
            {createResult.fetching ? 'Starting…' : 'Start live analysis'}
          </button>}
        {final ? <button type="button" className="button" onClick={onReset}>New analysis</button> : null}
      </div>
      {!sending && !analysisId ? <p className="muted">Start the webcam first: the analysis reads its frames.</p> : null}
      <FormError message={formErrorsFrom(createResult.error).form} />
      {analysisId ? (
        <dl className="stats">
          <div><dt>{shownSport === 'SQUAT' ? 'Reps' : 'Jumps'}</dt><dd data-testid="coaching-count">{count}</dd></div>
          {shownSport === 'SQUAT' ? (
            <div><dt>Last rep depth (knee)</dt><dd data-testid="coaching-last">{value(last, 'bottomKneeAngleDeg') === null ? '—' : `${(value(last, 'bottomKneeAngleDeg') ?? 0).toFixed(0)}°`}</dd></div>
          ) : (
            <div><dt>Last jump height</dt><dd data-testid="coaching-last">{value(last, 'jumpHeightM') === null ? '—' : `${((value(last, 'jumpHeightM') ?? 0) * 100).toFixed(1)} cm`}</dd></div>
          )}
          <div><dt>Status</dt><dd data-testid="coaching-status">{final ? (final.status === 'DONE' ? 'Done' : `Ended: ${final.reason ?? final.status}`) : 'Live'}</dd></div>
        </dl>
      ) : null}
    </section>
  );
}
