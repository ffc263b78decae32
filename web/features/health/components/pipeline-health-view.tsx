'use client';

import { useQuery } from 'urql';
import { CAMERAS_QUERY, type CamerasResult } from '@/features/cameras/graphql';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import type { CameraHealth, PipelineEvent } from '../graphql';
import { useHealthParams } from '../hooks/use-health-params';
import { usePipelineEvents, usePipelineHealth } from '../hooks/use-pipeline-health';

const CAMERA_CONTEXT = { additionalTypenames: ['Camera'] };

function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

function formatTime(at: string | number): string {
  const date = new Date(typeof at === 'number' ? at : Number.isFinite(Number(at)) ? Number(at) : at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toLocaleTimeString();
}

function BreakerBadge({ state }: { state: string }) {
  return <span className={`badge badge--breaker-${state.toLowerCase()}`} data-testid="breaker-state" data-state={state}>{state.toLowerCase()}</span>;
}

/** "Healthy" only while the camera's frames show people; "no one detected" otherwise (issue 18). */
function DetectionState({ warning }: { warning: string | null }) {
  return warning
    ? <span className="badge badge--stalled" data-testid="camera-health-state" data-state="NO_DETECTIONS" title={warning}>no one detected</span>
    : <span className="badge badge--live" data-testid="camera-health-state" data-state="HEALTHY" title="Frames flow and people are detected">healthy</span>;
}

function CameraHealthCard({ health, name }: { health: CameraHealth; name: string }) {
  const fill = Math.max(0, Math.min(1, health.bufferFill));
  return (
    <article className="card health-card" data-testid="camera-health" data-camera-id={health.cameraId}
      data-admitted={health.admitted} data-delivered={health.delivered} data-fps-in={health.fpsIn} data-fps-out={health.fpsOut}>
      <h2>{name}{' '}<DetectionState warning={health.noDetectionWarning} /></h2>
      {health.noDetectionWarning ? <p className="status-reason status-reason--warning" data-testid="no-detection-warning">{health.noDetectionWarning}</p> : null}
      <dl className="stats">
        <div><dt>fps in</dt><dd>{health.fpsIn.toFixed(1)}</dd></div>
        <div><dt>fps out</dt><dd>{health.fpsOut.toFixed(1)}</dd></div>
        <div><dt>Admitted</dt><dd>{health.admitted}</dd></div>
        <div><dt>Delivered</dt><dd>{health.delivered}</dd></div>
        <div><dt>In flight</dt><dd>{health.inFlight}</dd></div>
        <div><dt>Dropped</dt><dd>{health.dropped}</dd></div>
      </dl>
      <label className="meter">
        <span>Buffer fill {Math.round(fill * 100)}%</span>
        <progress max={1} value={fill} />
      </label>
      <div className="health-card__columns">
        <div>
          <h3>Drops by reason</h3>
          {health.dropsByReason.filter((d) => d.count > 0).length === 0
            ? <p className="muted small">No drops.</p>
            : (
              <ul className="plain-list">
                {health.dropsByReason.filter((d) => d.count > 0).map((d) => (
                  <li key={d.reason}><code>{d.reason}</code> {d.count}</li>
                ))}
              </ul>
            )}
        </div>
        <div>
          <h3>Latency</h3>
          {health.latency.length === 0 ? <p className="muted small">No samples yet.</p> : (
            <table className="table table--compact">
              <thead><tr><th scope="col">Stage</th><th scope="col">p50</th><th scope="col">p99</th></tr></thead>
              <tbody>
                {health.latency.map((l) => (
                  <tr key={l.stage}><td>{l.stage.toLowerCase().replace(/_/g, ' ')}</td><td>{formatMs(l.p50)}</td><td>{formatMs(l.p99)}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </article>
  );
}

function EventFeed({ events, names }: { events: PipelineEvent[]; names: Map<string, string> }) {
  if (events.length === 0) return <p className="empty">No pipeline events yet.</p>;
  return (
    <ol className="event-feed" data-testid="event-feed" aria-live="off">
      {events.map((e, i) => (
        <li key={`${String(e.id)}-${i}`} className={`event event--${e.kind.toLowerCase()}`} data-kind={e.kind}>
          <time>{formatTime(e.at)}</time>
          <span className="event__kind">{e.kind.toLowerCase().replace(/_/g, ' ')}</span>
          {e.reason ? <code>{e.reason}</code> : null}
          {e.breakerFrom && e.breakerTo ? <span>{e.breakerFrom.toLowerCase()} → {e.breakerTo.toLowerCase()}</span> : null}
          {e.cameraId ? <span className="muted">{names.get(e.cameraId) ?? e.cameraId}</span> : null}
          {e.seq !== null ? <span className="muted">frame {e.seq}</span> : null}
          {e.message ? <span>{e.message}</span> : null}
        </li>
      ))}
    </ol>
  );
}

/** Per-camera fps, buffer fill, drops by reason, latency quantiles, breaker state, live events. */
export function PipelineHealthView() {
  const { params, eventVariables, setCameraId } = useHealthParams();
  const health = usePipelineHealth();
  const events = usePipelineEvents(eventVariables);
  const [cameras] = useQuery<CamerasResult>({ query: CAMERAS_QUERY, variables: { first: 100, after: null }, context: CAMERA_CONTEXT });
  const names = new Map((cameras.data?.cameras.edges ?? []).map(({ node }) => [node.id, node.name]));
  const shown = (health.data?.cameras ?? []).filter((c) => !params.cameraId || c.cameraId === params.cameraId);

  return (
    <section aria-labelledby="health-title">
      <div className="page-header">
        <h1 id="health-title">Pipeline health</h1>
        <div className="actions">
          <span>Breaker: {health.data ? <BreakerBadge state={health.data.breakerState} /> : '—'}</span>
          <label className="inline-field">
            <span>Camera</span>
            <select value={params.cameraId ?? ''} onChange={(e) => setCameraId(e.target.value || null)}>
              <option value="">All cameras</option>
              {[...names].map(([id, name]) => <option key={id} value={id}>{name}</option>)}
            </select>
          </label>
        </div>
      </div>
      {health.error && !health.data ? <FormError message={formErrorsFrom(health.error).form} /> : null}
      {!health.data && !health.error ? <p className="loading" aria-busy="true">Loading pipeline health…</p> : null}
      {health.data && shown.length === 0 ? <p className="empty" data-testid="health-empty">No camera is sending frames. Start a camera to see its pipeline.</p> : null}
      <div className="health-grid">
        {shown.map((c) => <CameraHealthCard key={c.cameraId} health={c} name={names.get(c.cameraId) ?? c.cameraId} />)}
      </div>
      <h2>Live events</h2>
      {events.error ? <FormError message={formErrorsFrom(events.error).form} /> : null}
      {events.fetching && events.events.length === 0 ? <p className="loading" aria-busy="true">Loading events…</p> : <EventFeed events={events.events} names={names} />}
    </section>
  );
}
