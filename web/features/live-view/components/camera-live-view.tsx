'use client';

import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { CameraStatusBadge } from '@/features/cameras/components/camera-status-badge';
import { CameraStatusReasonNote } from '@/features/cameras/components/camera-status-reason';
import { SimulatedBadge } from '@/features/cameras/components/simulated-badge';
import {
  CAMERA_QUERY, START_CAMERA_MUTATION, STOP_CAMERA_MUTATION, type CameraResult,
} from '@/features/cameras/graphql';
import { useLiveCameraStatuses } from '@/features/cameras/hooks/use-camera-statuses';
import { usePipelineHealth } from '@/features/health/hooks/use-pipeline-health';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import type { FrameResult } from '../domain/frame-result';
import { FrameTimeline } from '../domain/frame-timeline';
import { RateMeter } from '../domain/rate-meter';
import { useFrameResults } from '../hooks/use-frame-results';
import { usePreviewImage } from '../hooks/use-preview-image';
import { useTrackIdentities } from '../hooks/use-track-identities';
import { useWeakMatches } from '../hooks/use-weak-matches';
import { OverlayCanvas } from './overlay-canvas';
import { WeakMatchLegend } from './weak-match-legend';

const CAMERA_CONTEXT = { additionalTypenames: ['Camera'] };

interface LiveStats {
  fps: number;
  lastSeq: number | null;
  tracks: number;
  ageMs: number | null;
  /** What produced the latest result (`onnx · nanodet-m+movenet-lightning`); null before one arrives. */
  model: string | null;
  /** Tracks of the latest result that identity matched only weakly and did not name. */
  weak: Array<{ trackId: number; similarity: number }>;
}

/** A camera's live tracks and skeletons, drawn over its preview when it streams one. */
export function CameraLiveView({ cameraId }: { cameraId: string }) {
  const [{ data, fetching, error }, refetchCamera] = useQuery<CameraResult>({ query: CAMERA_QUERY, variables: { id: cameraId }, context: CAMERA_CONTEXT });
  const live = useLiveCameraStatuses();
  // A status change may come from elsewhere (the webcam page, another admin, the API): the
  // camera's desired status is read again with it, or the buttons would offer Start on a
  // running camera. Status changes are rare (start, stop, failure), so one read each is cheap.
  const liveStatusAt = live[cameraId]?.at;
  useEffect(() => {
    if (liveStatusAt !== undefined) refetchCamera({ requestPolicy: 'network-only' });
  }, [liveStatusAt, refetchCamera]);
  // "No one detected" with its hint, from the pipeline's health of this camera.
  const health = usePipelineHealth(5000);
  const [startResult, start] = useMutation(START_CAMERA_MUTATION);
  const [stopResult, stop] = useMutation(STOP_CAMERA_MUTATION);
  const [timeline] = useState(() => new FrameTimeline());
  const [meter] = useState(() => new RateMeter());
  const preview = usePreviewImage();
  const [stats, setStats] = useState<LiveStats>({ fps: 0, lastSeq: null, tracks: 0, ageMs: null, model: null, weak: [] });

  const onResult = useCallback((result: FrameResult) => {
    const now = performance.now();
    if (timeline.push(result, now)) {
      meter.tick(now);
      preview.offer(result.seq, result.preview);
    }
  }, [timeline, meter, preview]);
  const subscriptionError = useFrameResults(cameraId, onResult);
  const trackNames = useTrackIdentities(cameraId, data?.camera?.identity === true);
  const weakTracks = useWeakMatches(cameraId, data?.camera?.identity === true);

  useEffect(() => {
    const timer = setInterval(() => {
      const latest = timeline.latestResult;
      const [weak, names] = [weakTracks(), trackNames()];
      setStats({
        fps: meter.rate(performance.now()),
        lastSeq: latest?.seq ?? null,
        tracks: latest?.tracks.length ?? 0,
        ageMs: latest && Number.isFinite(latest.captureTs) ? Date.now() - latest.captureTs : null,
        model: latest?.provenance ? `${latest.provenance.backend} · ${latest.provenance.model}` : null,
        weak: (latest?.tracks ?? []).flatMap((t) => {
          const id = Number(t.trackId);
          const similarity = weak.get(id);
          return similarity === undefined || names.has(id) ? [] : [{ trackId: id, similarity }];
        }),
      });
    }, 500);
    return () => clearInterval(timer);
  }, [timeline, meter, weakTracks, trackNames]);

  if (fetching && !data) return <p className="loading" aria-busy="true">Loading camera…</p>;
  if (error) return <FormError message={formErrorsFrom(error).form} />;
  const camera = data?.camera;
  if (!camera) return <p className="empty">This camera does not exist. <Link href="/cameras">Back to cameras</Link></p>;
  const status = live[camera.id]?.status ?? camera.status;
  const noDetection = health.data?.cameras.find((c) => c.cameraId === camera.id)?.noDetectionWarning ?? null;
  const reason = live[camera.id] ? live[camera.id]!.statusReason : camera.statusReason;
  const reasonMessage = live[camera.id] ? live[camera.id]!.reason : camera.statusMessage;
  // A failed source is not about to deliver: the reason replaces "waiting" (issue 18).
  const running = camera.desiredStatus === 'RUNNING' && status !== 'FAILED';
  const actionError = formErrorsFrom(startResult.error ?? stopResult.error).form;

  return (
    <section aria-labelledby="live-title" className="live-view">
      <div className="page-header">
        <div>
          <h1 id="live-title">{camera.name}{' '}<SimulatedBadge sourceKind={camera.sourceKind} /></h1>
          <p className="muted">{camera.sourceKind.toLowerCase()} · {camera.tier.toLowerCase().replace('_', ' ')} · {camera.sourceKind === 'SIMULATOR' ? 'simulated' : `${camera.perception.toLowerCase().replace('_', '-')}${camera.tiled ? ', tiled' : ''}`} · {camera.targetFps} fps target{camera.identity ? ' · identity on' : ''} · <CameraStatusBadge status={status} desired={camera.desiredStatus} reason={reason} /></p>
        </div>
        <div className="actions">
          {running
            ? <button type="button" className="button" disabled={stopResult.fetching} onClick={() => void stop({ id: camera.id }, CAMERA_CONTEXT)}>Stop</button>
            : <button type="button" className="button button--primary" disabled={startResult.fetching} onClick={() => void start({ id: camera.id }, CAMERA_CONTEXT)}>Start</button>}
          <Link className="button" href={`/cameras/${camera.id}/edit`}>Edit</Link>
          <Link className="button" href={`/health?camera=${camera.id}`}>Health</Link>
        </div>
      </div>
      <FormError message={actionError ?? (subscriptionError ? formErrorsFrom(subscriptionError).form : null)} />
      <CameraStatusReasonNote reason={reason} message={reasonMessage} />
      {noDetection ? <p className="status-reason status-reason--warning" role="status" data-testid="no-detection-warning">{noDetection}</p> : null}
      <div className="stage">
        <OverlayCanvas timeline={timeline} background={preview.current} names={trackNames} weak={weakTracks} label={`Live tracks of ${camera.name}`} />
        {stats.lastSeq === null ? (
          <p className="stage__empty" data-testid="live-waiting">
            {running ? 'Waiting for the first processed frame…' : status === 'FAILED' ? 'This camera failed to start: see the reason above.' : 'This camera is stopped. Start it to see live tracks.'}
          </p>
        ) : null}
      </div>
      <WeakMatchLegend tracks={stats.weak} />
      <dl className="stats" data-testid="live-stats">
        <div><dt>Results/s</dt><dd>{stats.fps.toFixed(1)}</dd></div>
        <div><dt>Tracks</dt><dd>{stats.tracks}</dd></div>
        <div><dt>Last frame</dt><dd>{stats.lastSeq ?? '—'}</dd></div>
        <div><dt>Result age</dt><dd>{stats.ageMs === null ? '—' : `${Math.round(stats.ageMs)} ms`}</dd></div>
        <div><dt>Model</dt><dd data-testid="live-model">{stats.model ?? '—'}</dd></div>
      </dl>
    </section>
  );
}
