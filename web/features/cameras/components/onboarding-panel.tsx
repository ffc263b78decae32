'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMutation } from 'urql';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { CREATE_CAMERA_MUTATION, START_CAMERA_MUTATION, type CameraInput, type CreateCameraResult } from '../graphql';

const CAMERA_CONTEXT = { additionalTypenames: ['Camera'] };

/** Three synthetic people crossing: something to see within seconds, no hardware or video needed. */
const DEMO_CAMERA: CameraInput = {
  name: 'Demo camera', purpose: 'demo', tier: 'STANDARD', sourceKind: 'SIMULATOR', sourceUrl: 'sim://people?count=3&crossings=true', targetFps: 10,
};

/**
 * What a new tenant sees instead of an empty table: three ways to get a first result (a demo
 * camera that is created and started in one click, the webcam page, and batch import of videos).
 */
export function OnboardingPanel() {
  const router = useRouter();
  const [created, create] = useMutation<CreateCameraResult>(CREATE_CAMERA_MUTATION);
  const [started, start] = useMutation(START_CAMERA_MUTATION);
  const busy = created.fetching || started.fetching;
  const error = formErrorsFrom(created.error ?? started.error).form;

  async function addDemoCamera() {
    const res = await create({ input: DEMO_CAMERA }, CAMERA_CONTEXT);
    const camera = res.data?.createCamera;
    if (!camera) return;
    const run = await start({ id: camera.id }, CAMERA_CONTEXT);
    if (!run.error) router.push(`/cameras/${camera.id}`);
  }

  return (
    <section className="onboarding card" data-testid="cameras-empty" aria-labelledby="onboarding-title">
      <h2 id="onboarding-title">No cameras yet: pick a way to start</h2>
      <ul className="onboarding__choices">
        <li className="onboarding__choice">
          <h3>Add a demo camera</h3>
          <p className="muted small">Simulated people walk across a scene: live tracks in a few seconds, no hardware or video needed.</p>
          <button type="button" className="button button--primary" disabled={busy} onClick={() => void addDemoCamera()}>Add a demo camera</button>
        </li>
        <li className="onboarding__choice">
          <h3>Use your webcam</h3>
          <p className="muted small">Your browser sends its camera to Trinetra; you see your own skeleton and the round-trip time.</p>
          <Link className="button" href="/webcam">Use your webcam</Link>
        </li>
        <li className="onboarding__choice">
          <h3>Import videos</h3>
          <p className="muted small">Process recorded videos in batch from a manifest and download the poses and tracks per video.</p>
          {/* Not prefetched: the batch page is its own area, and a new tenant may never open it. */}
          <Link className="button" href="/jobs" prefetch={false}>Import videos</Link>
        </li>
      </ul>
      <p className="muted small">Or <Link href="/cameras/new">add a camera</Link> yourself: a video file, a network stream (RTSP/HTTP) or a simulator.</p>
      <FormError message={error} />
    </section>
  );
}
