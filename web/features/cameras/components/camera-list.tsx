'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import {
  CAMERAS_QUERY, DELETE_CAMERA_MUTATION, START_CAMERA_MUTATION, STOP_CAMERA_MUTATION,
  type Camera, type CamerasResult,
} from '../graphql';
import { useLiveCameraStatuses, type LiveStatuses } from '../hooks/use-camera-statuses';
import { CameraStatusBadge } from './camera-status-badge';
import { CameraStatusReasonNote } from './camera-status-reason';
import { OnboardingPanel } from './onboarding-panel';
import { SimulatedBadge } from './simulated-badge';

const PAGE_SIZE = 25;
const CAMERA_CONTEXT = { additionalTypenames: ['Camera'] };

function CameraRow({ camera, live }: { camera: Camera; live: LiveStatuses }) {
  const [startResult, start] = useMutation(START_CAMERA_MUTATION);
  const [stopResult, stop] = useMutation(STOP_CAMERA_MUTATION);
  const [deleteResult, remove] = useMutation(DELETE_CAMERA_MUTATION);
  const status = live[camera.id]?.status ?? camera.status;
  // A live change carries its own reason (or none: the camera started again).
  const reason = live[camera.id] ? live[camera.id]!.statusReason : camera.statusReason;
  const reasonMessage = live[camera.id] ? live[camera.id]!.reason : camera.statusMessage;
  const running = camera.desiredStatus === 'RUNNING';
  const busy = startResult.fetching || stopResult.fetching || deleteResult.fetching;
  const error = formErrorsFrom(startResult.error ?? stopResult.error ?? deleteResult.error).form;

  async function onDelete() {
    if (!window.confirm(`Remove camera “${camera.name}”?`)) return;
    await remove({ id: camera.id }, CAMERA_CONTEXT);
  }

  // data-label names each cell where the table collapses into one card per camera (phones).
  return (
    <tr data-camera-id={camera.id}>
      <td data-label="Name"><Link href={`/cameras/${camera.id}`}>{camera.name}</Link>{camera.purpose ? <div className="muted small">{camera.purpose}</div> : null}</td>
      <td data-label="Tier">{camera.tier.replace('_', ' ').toLowerCase()}</td>
      <td data-label="Source">{camera.sourceKind.toLowerCase()}{' '}<SimulatedBadge sourceKind={camera.sourceKind} /></td>
      <td data-label="Target fps">{camera.targetFps}</td>
      <td data-label="Status" data-testid="camera-status"><CameraStatusBadge status={status} desired={camera.desiredStatus} reason={reason} /><CameraStatusReasonNote reason={reason} message={reasonMessage} compact /></td>
      <td className="cell-actions">
        {/* Flex on a wrapper, never on the cell: a flex table cell leaves the row's borders misaligned. */}
        <div className="actions row-actions">
          {running
            ? <button type="button" className="button" disabled={busy} onClick={() => void stop({ id: camera.id }, CAMERA_CONTEXT)}>Stop</button>
            : <button type="button" className="button" disabled={busy} onClick={() => void start({ id: camera.id }, CAMERA_CONTEXT)}>Start</button>}
          <Link className="button" href={`/cameras/${camera.id}/edit`}>Edit</Link>
          <button type="button" className="button button--danger" disabled={busy} onClick={() => void onDelete()}>Remove</button>
        </div>
        {error ? <FormError message={error} /> : null}
      </td>
    </tr>
  );
}

function CameraPage({ after, live, isLast, onLoadMore }: {
  after: string | null; live: LiveStatuses; isLast: boolean; onLoadMore: (cursor: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery<CamerasResult>({
    query: CAMERAS_QUERY, variables: { first: PAGE_SIZE, after }, context: CAMERA_CONTEXT,
  });
  if (!data) {
    return (
      <tbody>
        <tr><td colSpan={6}>{error ? <FormError message={formErrorsFrom(error).form} /> : fetching ? <span aria-busy="true">Loading cameras…</span> : null}</td></tr>
      </tbody>
    );
  }
  const { edges, pageInfo } = data.cameras;
  return (
    <tbody>
      {edges.map(({ node }) => <CameraRow key={node.id} camera={node} live={live} />)}
      {isLast && pageInfo.hasNextPage && pageInfo.endCursor ? (
        <tr><td colSpan={6}><button type="button" className="button" onClick={() => onLoadMore(pageInfo.endCursor ?? '')}>Load more</button></td></tr>
      ) : null}
    </tbody>
  );
}

/** The tenant's cameras with live status, paged by cursor; the onboarding panel while there are none. */
export function CameraList() {
  const live = useLiveCameraStatuses();
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  // The same query and variables as the first page: urql answers both from one request.
  const [{ data: firstPage }] = useQuery<CamerasResult>({ query: CAMERAS_QUERY, variables: { first: PAGE_SIZE, after: null }, context: CAMERA_CONTEXT });
  const empty = firstPage?.cameras.edges.length === 0;
  return (
    <section aria-labelledby="cameras-title">
      <div className="page-header">
        <h1 id="cameras-title">Cameras</h1>
        <Link className="button button--primary" href="/cameras/new">Add camera</Link>
      </div>
      {empty ? <OnboardingPanel /> : (
        <div className="table-scroll">
          <table className="table table--cards" data-testid="camera-table">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Tier</th><th scope="col">Source</th><th scope="col">Target fps</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            {cursors.map((after, i) => (
              <CameraPage key={after ?? 'first'} after={after} live={live} isLast={i === cursors.length - 1}
                onLoadMore={(cursor) => setCursors((c) => [...c, cursor])} />
            ))}
          </table>
        </div>
      )}
    </section>
  );
}
