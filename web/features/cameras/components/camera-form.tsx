'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError, FormField } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import {
  CAMERA_PERCEPTIONS, CAMERA_QUERY, CAMERA_TIERS, CREATE_CAMERA_MUTATION, SOURCE_KINDS, UPDATE_CAMERA_MUTATION,
  type Camera, type CameraInput, type CameraPerception, type CameraResult, type CameraTier,
  type CreateCameraResult, type SourceKind, type UpdateCameraResult,
} from '../graphql';

const CAMERA_CONTEXT = { additionalTypenames: ['Camera'] };

const TIER_LABELS: Record<CameraTier, string> = {
  BILLING: 'Billing (never dropped)',
  CRITICAL: 'Critical',
  STANDARD: 'Standard',
  BEST_EFFORT: 'Best effort',
  LIVE: 'Live (latest frame wins)',
};

const SOURCE_HINTS: Record<SourceKind, string> = {
  SIMULATOR: 'Synthetic people; optional settings: sim://people?count=3&occluders=1&crossings=true&speed=80&seed=7.',
  FILE: 'Path or URL of a video file.',
  NETWORK: 'rtsp:// or http(s):// address of the camera stream.',
  UPLOAD: 'Frames are pushed to the /ingest socket (for example the webcam page); no URL needed.',
};

const PERCEPTION_LABELS: Record<CameraPerception, string> = {
  SCENE: 'Scene (store camera)',
  CLOSE_UP: 'Close-up (phone, webcam)',
};

/** The server's default when the form leaves perception out (modules/shared/domain/camera-perception.ts). */
function defaultPerceptionFor(kind: SourceKind): CameraPerception {
  return kind === 'UPLOAD' ? 'CLOSE_UP' : 'SCENE';
}

function effectivePerception(input: CameraInput): CameraPerception {
  return input.perception ?? defaultPerceptionFor(input.sourceKind);
}

const EMPTY: CameraInput = { name: '', purpose: '', tier: 'STANDARD', sourceKind: 'SIMULATOR', sourceUrl: '', targetFps: 10, tiled: false };

function toInput(camera: Camera): CameraInput {
  const { name, purpose, tier, sourceKind, sourceUrl, targetFps, perception, tiled, identity } = camera;
  return { name, purpose, tier, sourceKind, sourceUrl: sourceUrl ?? '', targetFps, perception, tiled, identity };
}

/** What the consent checkbox says: turning identity on records the signed-in user as consenting, with the time. */
const IDENTITY_CONSENT =
  'I confirm the people this camera sees have been informed and that we have a lawful basis to recognise their faces. ' +
  'Face vectors (never images) are computed and matched against enrolled people; strangers stay unknown. ' +
  'Turning this on records me and the time as the consent.';

/**
 * An empty purpose is left out (the server applies its default); an empty source URL is sent
 * as null so the server decides whether this source kind needs one.
 */
function normalize(input: CameraInput): CameraInput {
  const purpose = input.purpose?.trim();
  const { purpose: _omitted, perception, tiled: _tiled, identity: _identity, ...rest } = input;
  return {
    ...rest,
    ...(purpose ? { purpose } : {}),
    // Left out: the server picks the source kind's default. Tiles only go with SCENE.
    ...(perception ? { perception } : {}),
    tiled: effectivePerception(input) === 'SCENE' && input.tiled === true,
    name: input.name.trim(),
    sourceUrl: input.sourceUrl?.trim() ? input.sourceUrl.trim() : null,
  };
}

/** `identity` goes only when it differs from what the camera has (setting it needs identity:write). */
function withIdentityChange(input: CameraInput, values: CameraInput, initial: CameraInput): CameraInput {
  const wanted = values.identity === true;
  return wanted === (initial.identity === true) ? input : { ...input, identity: wanted };
}

function CameraFormFields({ initial, cameraId }: { initial: CameraInput; cameraId: string | null }) {
  const router = useRouter();
  const [values, setValues] = useState<CameraInput>(initial);
  const [createResult, create] = useMutation<CreateCameraResult>(CREATE_CAMERA_MUTATION);
  const [updateResult, update] = useMutation<UpdateCameraResult>(UPDATE_CAMERA_MUTATION);
  const [fpsError, setFpsError] = useState<string | undefined>();
  const result = cameraId ? updateResult : createResult;
  const errors = formErrorsFrom(result.error);
  const set = <K extends keyof CameraInput>(key: K, value: CameraInput[K]) => setValues((v) => ({ ...v, [key]: value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!Number.isFinite(values.targetFps)) {
      setFpsError('Enter a number of frames per second.');
      return;
    }
    setFpsError(undefined);
    const input = withIdentityChange(normalize(values), values, initial);
    if (cameraId) {
      const res = await update({ id: cameraId, input }, CAMERA_CONTEXT);
      if (res.data) router.push(`/cameras/${cameraId}`);
    } else {
      const res = await create({ input }, CAMERA_CONTEXT);
      if (res.data) router.push(`/cameras/${res.data.createCamera.id}`);
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-labelledby="camera-form-title" data-testid="camera-form">
      <h1 id="camera-form-title">{cameraId ? 'Edit camera' : 'Add camera'}</h1>
      <FormField label="Name" error={errors.fields.name}>
        {(p) => <input {...p} name="name" required value={values.name} onChange={(e) => set('name', e.target.value)} />}
      </FormField>
      <FormField label="Purpose" error={errors.fields.purpose} hint="For example entrance, checkout, coaching.">
        {(p) => <input {...p} name="purpose" list="camera-purposes" value={values.purpose ?? ''} onChange={(e) => set('purpose', e.target.value)} />}
      </FormField>
      <datalist id="camera-purposes">
        <option value="entrance" /><option value="checkout" /><option value="tracking" /><option value="coaching" />
      </datalist>
      <div className="field-row">
        <FormField label="Source kind" error={errors.fields.sourceKind}>
          {(p) => (
            <select {...p} name="sourceKind" value={values.sourceKind} onChange={(e) => set('sourceKind', e.target.value as SourceKind)}>
              {SOURCE_KINDS.map((k) => <option key={k} value={k}>{k.toLowerCase()}</option>)}
            </select>
          )}
        </FormField>
        <FormField label="Tier" error={errors.fields.tier}>
          {(p) => (
            <select {...p} name="tier" value={values.tier} onChange={(e) => set('tier', e.target.value as CameraTier)}>
              {CAMERA_TIERS.map((t) => <option key={t} value={t}>{TIER_LABELS[t]}</option>)}
            </select>
          )}
        </FormField>
      </div>
      <div className="field-row">
        <FormField label="Perception" error={errors.fields.perception}
          hint={values.sourceKind === 'SIMULATOR' ? 'Simulator cameras are always simulated (their own ground truth); this applies if the source changes.' : 'Scene: many people, small in the frame. Close-up: one or a few people filling it.'}>
          {(p) => (
            <select {...p} name="perception" value={values.perception ?? ''}
              onChange={(e) => set('perception', e.target.value ? (e.target.value as CameraPerception) : undefined)}>
              {cameraId ? null : <option value="">Default for the source ({PERCEPTION_LABELS[defaultPerceptionFor(values.sourceKind)].split(' (')[0]?.toLowerCase()})</option>}
              {CAMERA_PERCEPTIONS.map((v) => <option key={v} value={v}>{PERCEPTION_LABELS[v]}</option>)}
            </select>
          )}
        </FormField>
        {effectivePerception(values) === 'SCENE' ? (
          <FormField label="Tiled" error={errors.fields.tiled} hint="Also look at overlapping tiles: finds small or crowded people, costs about four times the work.">
            {(p) => <input {...p} name="tiled" type="checkbox" checked={values.tiled === true} onChange={(e) => set('tiled', e.target.checked)} />}
          </FormField>
        ) : null}
      </div>
      {values.sourceKind === 'SIMULATOR' ? null : (
        <FormField label="Identity (face recognition)" error={errors.fields.identity}
          hint={`${IDENTITY_CONSENT} Off (the default): no face is embedded or matched for this camera.`}>
          {(p) => <input {...p} name="identity" type="checkbox" checked={values.identity === true} onChange={(e) => set('identity', e.target.checked)} />}
        </FormField>
      )}
      <FormField label="Source URL" error={errors.fields.sourceUrl} hint={SOURCE_HINTS[values.sourceKind]}>
        {(p) => <input {...p} name="sourceUrl" inputMode="url" value={values.sourceUrl ?? ''} onChange={(e) => set('sourceUrl', e.target.value)} />}
      </FormField>
      <FormField label="Target fps" error={fpsError ?? errors.fields.targetFps}>
        {(p) => <input {...p} name="targetFps" type="number" inputMode="numeric" min={1} max={60} step={1} required
          value={Number.isFinite(values.targetFps) ? values.targetFps : ''} onChange={(e) => set('targetFps', e.target.valueAsNumber)} />}
      </FormField>
      <FormError message={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={result.fetching}>
          {result.fetching ? 'Saving…' : cameraId ? 'Save changes' : 'Add camera'}
        </button>
        <Link className="button" href={cameraId ? `/cameras/${cameraId}` : '/cameras'}>Cancel</Link>
      </div>
    </form>
  );
}

/** Form to add a camera. */
export function CreateCameraForm() {
  return <CameraFormFields initial={EMPTY} cameraId={null} />;
}

/** Form to edit camera `cameraId`, loaded first. */
export function EditCameraForm({ cameraId }: { cameraId: string }) {
  const [{ data, fetching, error }] = useQuery<CameraResult>({
    query: CAMERA_QUERY, variables: { id: cameraId }, requestPolicy: 'network-only', context: CAMERA_CONTEXT,
  });
  if (fetching && !data) return <p className="loading" aria-busy="true">Loading camera…</p>;
  if (error) return <FormError message={formErrorsFrom(error).form} />;
  if (!data?.camera) return <p className="empty">This camera does not exist. <Link href="/cameras">Back to cameras</Link></p>;
  return <CameraFormFields key={data.camera.id} initial={toInput(data.camera)} cameraId={cameraId} />;
}
