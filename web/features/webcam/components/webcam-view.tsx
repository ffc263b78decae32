'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  CAMERAS_QUERY, CREATE_CAMERA_MUTATION, START_CAMERA_MUTATION,
  type CamerasResult, type CreateCameraResult,
} from '@/features/cameras/graphql';
import { FormError } from '@/features/forms/components/form-field';
import { OverlayCanvas } from '@/features/live-view/components/overlay-canvas';
import type { FrameResult } from '@/features/live-view/domain/frame-result';
import { FrameTimeline } from '@/features/live-view/domain/frame-timeline';
import { RateMeter, RollingQuantiles } from '@/features/live-view/domain/rate-meter';
import { useFrameResults } from '@/features/live-view/hooks/use-frame-results';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { LiveCoachingPanel } from '@/features/motion/components/live-coaching-panel';
import { useFrameUploader } from '../hooks/use-frame-uploader';
import { useWebcamStream } from '../hooks/use-webcam-stream';

const CAMERA_CONTEXT = { additionalTypenames: ['Camera'] };
const WEBCAM_CAMERA = {
  name: 'Browser webcam', purpose: 'coaching', tier: 'LIVE', sourceKind: 'UPLOAD', sourceUrl: null, targetFps: 10, perception: 'CLOSE_UP',
} as const;

interface ResultStats { fps: number; rttP50: number | null; rttP90: number | null; tracks: number }

/**
 * Captures this device's camera, uploads frames to `/ingest` for an UPLOAD camera, and draws
 * the skeletons that come back, with measured round-trip latency (frame sent → result drawn)
 * and result fps.
 */
export function WebcamView() {
  const [{ data, fetching, error }] = useQuery<CamerasResult>({ query: CAMERAS_QUERY, variables: { first: 100, after: null }, context: CAMERA_CONTEXT });
  const [createResult, createCamera] = useMutation<CreateCameraResult>(CREATE_CAMERA_MUTATION);
  const [startResult, startCamera] = useMutation(START_CAMERA_MUTATION);
  const uploadCameras = (data?.cameras.edges ?? []).map((e) => e.node).filter((c) => c.sourceKind === 'UPLOAD');
  const [chosenId, setChosenId] = useState<string | null>(null);
  const cameraId = chosenId ?? uploadCameras[0]?.id ?? null;
  const camera = uploadCameras.find((c) => c.id === cameraId) ?? null;

  const webcam = useWebcamStream();
  const videoRef = useRef<HTMLVideoElement>(null);
  const live = webcam.state.kind === 'live';
  const { stats: upload, sentFrames } = useFrameUploader({ video: videoRef, cameraId, active: live, fps: camera?.targetFps ?? 10 });

  const [timeline] = useState(() => new FrameTimeline());
  const [meter] = useState(() => new RateMeter());
  const [rtt] = useState(() => new RollingQuantiles(60));
  const [results, setResults] = useState<ResultStats>({ fps: 0, rttP50: null, rttP90: null, tracks: 0 });

  const onResult = useCallback((result: FrameResult) => {
    const now = performance.now();
    if (!timeline.push(result, now)) return;
    meter.tick(now);
    const sentAt = sentFrames.get(result.seq);
    if (sentAt !== undefined) rtt.add(now - sentAt);
  }, [timeline, meter, rtt, sentFrames]);
  const subscriptionError = useFrameResults(live ? cameraId : null, onResult);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.srcObject = webcam.state.kind === 'live' ? webcam.state.stream : null;
    if (webcam.state.kind === 'live') void video.play().catch(() => undefined);
  }, [webcam.state]);

  useEffect(() => {
    timeline.reset();
    const timer = setInterval(() => {
      setResults({ fps: meter.rate(performance.now()), rttP50: rtt.quantile(0.5), rttP90: rtt.quantile(0.9), tracks: timeline.latestResult?.tracks.length ?? 0 });
    }, 500);
    return () => clearInterval(timer);
  }, [cameraId, timeline, meter, rtt]);

  async function onCreateCamera() {
    const res = await createCamera({ input: WEBCAM_CAMERA }, CAMERA_CONTEXT);
    if (res.data) setChosenId(res.data.createCamera.id);
  }

  async function onStart() {
    if (camera && camera.desiredStatus !== 'RUNNING') await startCamera({ id: camera.id }, CAMERA_CONTEXT);
    await webcam.start();
  }

  const setupError = formErrorsFrom(createResult.error ?? startResult.error ?? error).form;

  return (
    <section aria-labelledby="webcam-title" className="webcam">
      <div className="page-header">
        <h1 id="webcam-title">Webcam</h1>
        <div className="actions">
          {fetching && !data ? <span aria-busy="true">Loading cameras…</span> : uploadCameras.length > 0 ? (
            <label className="inline-field">
              <span>Upload to</span>
              <select value={cameraId ?? ''} onChange={(e) => setChosenId(e.target.value)} disabled={live}>
                {uploadCameras.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </label>
          ) : null}
          <button type="button" className="button" onClick={() => void onCreateCamera()} disabled={createResult.fetching || live}>
            {createResult.fetching ? 'Creating…' : 'New webcam camera'}
          </button>
        </div>
      </div>
      <FormError message={setupError} />
      {!fetching && data && uploadCameras.length === 0 ? (
        <p className="empty" data-testid="webcam-no-camera">No upload camera yet. Create one to send this device’s camera to the pipeline.</p>
      ) : null}
      <div className="stage stage--webcam">
        <video ref={videoRef} className="stage__video" muted playsInline autoPlay aria-label="Your camera" />
        <OverlayCanvas timeline={timeline} fill={null} mirrored label="Your skeleton" className="stage__overlay" />
        {!live ? <p className="stage__empty">{webcam.state.kind === 'starting' ? 'Starting camera…' : 'Camera off.'}</p> : null}
      </div>
      {webcam.state.kind === 'error' ? <FormError message={webcam.state.message} /> : null}
      {subscriptionError ? <FormError message={formErrorsFrom(subscriptionError).form} /> : null}
      <div className="form__actions">
        {live
          ? <button type="button" className="button" onClick={webcam.stop}>Stop webcam</button>
          : <button type="button" className="button button--primary" onClick={() => void onStart()} disabled={!cameraId || webcam.state.kind === 'starting'}>Start webcam</button>}
      </div>
      <dl className="stats" data-testid="webcam-stats" data-sent={upload.sent} data-socket={upload.socket}>
        <div><dt>Upload</dt><dd>{upload.socket}{upload.socket === 'closed' && upload.socketDetail ? ` (${upload.socketDetail})` : ''}</dd></div>
        <div><dt>Sent fps</dt><dd>{upload.sentFps.toFixed(1)}</dd></div>
        <div><dt>Result fps</dt><dd data-testid="webcam-result-fps">{results.fps.toFixed(1)}</dd></div>
        <div><dt>Round trip p50</dt><dd data-testid="webcam-rtt">{results.rttP50 === null ? '—' : `${Math.round(results.rttP50)} ms`}</dd></div>
        <div><dt>Round trip p90</dt><dd>{results.rttP90 === null ? '—' : `${Math.round(results.rttP90)} ms`}</dd></div>
        <div><dt>Upload ack p50</dt><dd>{upload.ackRttP50 === null ? '—' : `${Math.round(upload.ackRttP50)} ms`}</dd></div>
        <div><dt>People</dt><dd>{results.tracks}</dd></div>
      </dl>
      <LiveCoachingPanel cameraId={cameraId} sending={live} />
    </section>
  );
}
