'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { CAMERA_QUERY, START_CAMERA_MUTATION, STOP_CAMERA_MUTATION, type CameraResult } from '@/features/cameras/graphql';
import { FormError } from '@/features/forms/components/form-field';
import type { FrameResult } from '@/features/live-view/domain/frame-result';
import { useFrameResults } from '@/features/live-view/hooks/use-frame-results';
import { usePreviewImage } from '@/features/live-view/hooks/use-preview-image';
import { formErrorsFrom } from '@/lib/graphql-errors';
import {
  DELETE_ZONE_MUTATION,
  HEATMAP_QUERY,
  UPSERT_ZONE_MUTATION,
  ZONES_QUERY,
  type HeatmapResult,
  type Zone,
  type ZoneKind,
  type ZonesResult,
} from '../graphql';
import { useLiveZoneStats } from '../hooks/use-live-zone-stats';
import { AlertRulesPanel } from './alert-rules-panel';
import { JourneysChart } from './journeys-chart';
import { ZoneCanvas } from './zone-canvas';
import { ZoneChart } from './zone-chart';

const ZONES_CONTEXT = { additionalTypenames: ['Zone'] };
const CAMERA_CONTEXT = { additionalTypenames: ['Camera'] };
const HEATMAP_REFRESH_MS = 5_000;
const HEATMAP_WINDOW_MS = 60 * 60_000;

interface Draft {
  kind: ZoneKind;
  points: number[][];
}

/**
 * A camera's analytics: draw AREA zones and counting LINEs on its picture with the mouse, see
 * live counts per zone, a per-minute chart of the selected zone and the last hour's heatmap.
 */
export function CameraAnalyticsView({ cameraId }: { cameraId: string }) {
  const [{ data: cameraData, error: cameraError }] = useQuery<CameraResult>({ query: CAMERA_QUERY, variables: { id: cameraId }, context: CAMERA_CONTEXT });
  const [{ data: zonesData }] = useQuery<ZonesResult>({ query: ZONES_QUERY, variables: { cameraId }, context: ZONES_CONTEXT });
  const [saveResult, saveZone] = useMutation(UPSERT_ZONE_MUTATION);
  const [, deleteZone] = useMutation(DELETE_ZONE_MUTATION);
  const [startResult, start] = useMutation(START_CAMERA_MUTATION);
  const [stopResult, stop] = useMutation(STOP_CAMERA_MUTATION);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [showHeatmap, setShowHeatmap] = useState(true);
  const live = useLiveZoneStats(cameraId);

  // The camera picture: the latest preview of the live results, at the results' frame size.
  const preview = usePreviewImage();
  const [frameSize] = useState(() => ({ width: 640, height: 360 }));
  const onResult = useCallback(
    (result: FrameResult) => {
      if (result.width && result.height) Object.assign(frameSize, { width: result.width, height: result.height });
      preview.offer(result.seq, result.preview);
    },
    [frameSize, preview],
  );
  useFrameResults(cameraId, onResult);

  const [heatRange, setHeatRange] = useState(() => ({
    from: new Date(Date.now() - HEATMAP_WINDOW_MS).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  }));
  useEffect(() => {
    const timer = setInterval(
      () => setHeatRange({ from: new Date(Date.now() - HEATMAP_WINDOW_MS).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }),
      HEATMAP_REFRESH_MS,
    );
    return () => clearInterval(timer);
  }, []);
  const [{ data: heatData }] = useQuery<HeatmapResult>({ query: HEATMAP_QUERY, variables: { cameraId, ...heatRange }, requestPolicy: 'network-only' });

  const zones = useMemo(() => zonesData?.zones ?? [], [zonesData]);
  const drawable = useMemo(() => zones.map((z) => ({ name: z.name, kind: z.kind, points: z.polygon })), [zones]);
  const selectedZone = zones.find((z) => z.id === selected) ?? zones[0] ?? null;

  const startDrawing = (kind: ZoneKind) => {
    setDraft({ kind, points: [] });
    setName(`${kind === 'AREA' ? 'Zone' : 'Line'} ${zones.filter((z) => z.kind === kind).length + 1}`);
  };
  const addPoint = useCallback((x: number, y: number) => {
    setDraft((d) => (d && !(d.kind === 'LINE' && d.points.length >= 2) ? { ...d, points: [...d.points, [x, y]] } : d));
  }, []);
  const canSave = draft !== null && (draft.kind === 'LINE' ? draft.points.length === 2 : draft.points.length >= 3);
  const save = async () => {
    if (!draft || !canSave) return;
    const result = await saveZone({ input: { cameraId, name: name.trim(), kind: draft.kind, polygon: draft.points } }, ZONES_CONTEXT);
    if (!result.error) {
      setDraft(null);
      setSelected((result.data as { upsertZone: Zone }).upsertZone.id);
    }
  };

  if (cameraError) return <FormError message={formErrorsFrom(cameraError).form} />;
  const camera = cameraData?.camera;
  if (cameraData && !camera)
    return (
      <p className="empty">
        This camera does not exist. <Link href="/analytics">Back to analytics</Link>
      </p>
    );
  const running = camera?.desiredStatus === 'RUNNING';
  const saveError = formErrorsFrom(saveResult.error);

  return (
    <section aria-labelledby="analytics-title" className="analytics-view">
      <div className="page-header">
        <div>
          <h1 id="analytics-title">Analytics · {camera?.name ?? '…'}</h1>
          <p className="muted">
            Draw zones (click 3 or more corners) and counting lines (click 2 points; walking from its left to its right counts as in) on the picture.
          </p>
        </div>
        <div className="actions">
          {camera ? (
            running ? (
              <button type="button" className="button" disabled={stopResult.fetching} onClick={() => void stop({ id: cameraId }, CAMERA_CONTEXT)}>
                Stop camera
              </button>
            ) : (
              <button
                type="button"
                className="button button--primary"
                disabled={startResult.fetching}
                onClick={() => void start({ id: cameraId }, CAMERA_CONTEXT)}
              >
                Start camera
              </button>
            )
          ) : null}
          <Link className="button" href={`/cameras/${cameraId}`}>
            Live view
          </Link>
          <Link className="button" href="/alerts">
            Alerts
          </Link>
        </div>
      </div>
      <div className="actions" role="toolbar" aria-label="Zone editor">
        {draft ? (
          <>
            <label className="small">
              <span>Name</span>
              <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Zone name" />
            </label>
            <span className="muted small" data-testid="draft-points">
              {draft.points.length} point{draft.points.length === 1 ? '' : 's'}
            </span>
            <button type="button" className="button button--primary" disabled={!canSave || saveResult.fetching} onClick={() => void save()}>
              {draft.kind === 'AREA' ? 'Save zone' : 'Save line'}
            </button>
            <button type="button" className="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button" onClick={() => startDrawing('AREA')}>
              Draw zone
            </button>
            <button type="button" className="button" onClick={() => startDrawing('LINE')}>
              Draw line
            </button>
          </>
        )}
        <label className="small">
          <input type="checkbox" checked={showHeatmap} onChange={(e) => setShowHeatmap(e.target.checked)} /> Heatmap (last hour)
        </label>
      </div>
      <FormError message={saveError.fields['polygon'] ?? saveError.fields['name'] ?? saveError.form} />
      <div className="stage" style={{ aspectRatio: '16 / 9' }}>
        <ZoneCanvas
          background={preview.current}
          size={() => frameSize}
          zones={drawable}
          draft={draft ? { name: '', kind: draft.kind, points: draft.points } : null}
          heatmap={showHeatmap ? (heatData?.heatmap ?? null) : null}
          onPoint={draft ? addPoint : null}
        />
      </div>
      <p className="muted small" data-testid="heatmap-total" data-total={heatData?.heatmap.total ?? 0}>
        Heatmap: {heatData?.heatmap.total ?? 0} person-frames in the last hour
      </p>
      <div className="table-scroll">
        <table className="table table--compact" data-testid="zone-counts">
          <thead>
            <tr>
              <th>Zone</th>
              <th>Kind</th>
              <th>Inside now</th>
              <th>Entries / in</th>
              <th>Exits / out</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {zones.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted" data-testid="zones-empty">
                  No zones yet: draw one on the picture.
                </td>
              </tr>
            ) : (
              zones.map((z) => {
                const f = live.figures[z.id];
                const area = z.kind === 'AREA';
                return (
                  <tr key={z.id} data-testid="zone-row" data-zone-name={z.name} aria-selected={selectedZone?.id === z.id}>
                    <td>
                      <button type="button" className="button" onClick={() => setSelected(z.id)}>
                        {z.name}
                      </button>
                    </td>
                    <td>{z.kind.toLowerCase()}</td>
                    <td data-testid="zone-occupancy">{area ? (f?.occupancy ?? 0) : '—'}</td>
                    <td data-testid="zone-in">{area ? (f?.entries ?? 0) : (f?.in ?? 0)}</td>
                    <td data-testid="zone-out">{area ? (f?.exits ?? 0) : (f?.out ?? 0)}</td>
                    <td className="actions">
                      <button type="button" className="button" onClick={() => void deleteZone({ id: z.id }, ZONES_CONTEXT)}>
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <p className="muted small">Counts since this page opened, live; the chart reads the stored per-minute figures.</p>
      {selectedZone ? <ZoneChart zone={selectedZone} refreshKey={live.version} /> : null}
      {selectedZone?.kind === 'AREA' ? <AlertRulesPanel cameraId={cameraId} zone={selectedZone} /> : null}
      {/* One area zone is enough: a person may go from it to another camera's zone (identity on). */}
      {zones.some((z) => z.kind === 'AREA') ? <JourneysChart cameraId={cameraId} zones={zones} /> : null}
    </section>
  );
}
