'use client';

import { useEffect, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { FormError } from '@/features/forms/components/form-field';
import { VideoJobStatusBadge } from '@/features/status/components/job-status-badge';
import { apiEndpoints } from '@/lib/api-config';
import { formErrorsFrom } from '@/lib/graphql-errors';
import {
  VIDEO_JOB_PROGRESS_SUBSCRIPTION, VIDEO_JOBS_QUERY,
  type VideoJob, type VideoJobProgressEvent, type VideoJobProgressResult, type VideoJobsResult,
} from '../graphql';
import { ManifestImportForm } from './manifest-import-form';

const PAGE_SIZE = 100;
const JOB_CONTEXT = { additionalTypenames: ['VideoJob'] };
/** Signed download links last 15 minutes: the list is refreshed well before that. */
const REFRESH_MS = 5 * 60_000;

type Progress = Readonly<Record<string, VideoJobProgressEvent>>;

/** The output link on the API server's origin (outputUrl is a path there). */
function downloadHref(outputUrl: string): string {
  return new URL(outputUrl, apiEndpoints().httpUrl).href;
}

function ProgressCell({ job, progress }: { job: VideoJob; progress: VideoJobProgressEvent | undefined }) {
  const status = progress && progress.kind !== 'FINISHED' ? progress.status : job.status;
  if (status === 'PROCESSING' || status === 'processing') {
    const frames = progress?.frames ?? 0;
    const total = progress?.totalFrames ?? null;
    return (
      <span data-testid="job-progress">
        {total ? <progress max={total} value={frames} aria-label={`${job.filename} progress`} /> : null} {frames}{total ? ` / ${total}` : ''} frames
      </span>
    );
  }
  return <span>{job.frameCount ?? '—'}</span>;
}

function JobRow({ job, byId, progress }: { job: VideoJob; byId: ReadonlyMap<string, VideoJob>; progress: VideoJobProgressEvent | undefined }) {
  const original = job.duplicateOfId ? byId.get(job.duplicateOfId) : undefined;
  const status = (progress && progress.kind !== 'FINISHED' ? progress.status : job.status).toUpperCase();
  return (
    <tr data-testid="video-job" data-job-id={job.id} data-status={status}>
      <td>{job.line}</td>
      <td>
        {job.filename}
        {job.duplicateOfId ? <div className="muted small" data-testid="job-duplicate">Duplicate of {original ? `line ${original.line} (${original.filename})` : 'an earlier video'}: processed once</div> : null}
      </td>
      <td><VideoJobStatusBadge status={status} /></td>
      <td><ProgressCell job={job} progress={progress} /></td>
      <td>{job.quality === null ? '—' : job.quality.toFixed(2)}</td>
      <td>
        {job.error ? <div className="form__error" data-testid="job-error">{job.error}</div> : null}
        {job.warnings.map((w) => <div key={w.code} className="status-reason status-reason--warning small" data-testid="job-warning" data-code={w.code}>{w.message}</div>)}
      </td>
      <td>
        {job.outputUrl ? <a className="button" href={downloadHref(job.outputUrl)} download data-testid="job-download">Download</a> : null}
      </td>
    </tr>
  );
}

/** Newest manifest first (the list comes oldest first), rows in manifest order within each. */
function newestManifestFirst(jobs: readonly VideoJob[]): VideoJob[] {
  const groups = new Map<string, VideoJob[]>();
  for (const job of [...jobs].reverse()) groups.set(job.manifestId, [...(groups.get(job.manifestId) ?? []), job]);
  return [...groups.values()].flatMap((group) => group.sort((a, b) => a.line - b.line));
}

/** Batch jobs: import a manifest, follow every job live, download outputs. */
export function BatchJobsView() {
  const [{ data, fetching, error }, refetch] = useQuery<VideoJobsResult>({ query: VIDEO_JOBS_QUERY, variables: { first: PAGE_SIZE, after: null }, context: JOB_CONTEXT });
  const [{ data: progress }] = useSubscription<VideoJobProgressResult, Progress>({ query: VIDEO_JOB_PROGRESS_SUBSCRIPTION }, (previous = {}, event) => ({
    ...previous,
    [event.videoJobProgress.jobId]: event.videoJobProgress,
  }));
  const [finishedSeen, setFinishedSeen] = useState(0);

  // A job finished (or a duplicate settled): read the list again for its output link and counts.
  const finished = Object.values(progress ?? {}).filter((e) => e.kind === 'FINISHED').length;
  useEffect(() => {
    if (finished === finishedSeen) return;
    setFinishedSeen(finished);
    refetch({ requestPolicy: 'network-only' });
  }, [finished, finishedSeen, refetch]);
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refetch]);

  const jobs = data?.videoJobs.edges.map((e) => e.node) ?? [];
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const counts = data?.videoJobCounts;
  const ordered = newestManifestFirst(jobs);

  return (
    <section aria-labelledby="jobs-title">
      <div className="page-header">
        <h1 id="jobs-title">Batch jobs</h1>
      </div>
      <ManifestImportForm onImported={() => refetch({ requestPolicy: 'network-only' })} />
      {counts ? (
        <p className="muted" data-testid="job-counts">
          {counts.total} jobs · {counts.queued} queued · {counts.processing} processing · {counts.done} done · {counts.failed} failed · {counts.missingFile} missing files
          {counts.finished ? '' : ' · working…'}
        </p>
      ) : null}
      {error ? <FormError message={formErrorsFrom(error).form} /> : null}
      <div className="table-scroll">
        <table className="table" data-testid="video-jobs">
          <thead>
            <tr><th scope="col">Line</th><th scope="col">Video</th><th scope="col">Status</th><th scope="col">Frames</th><th scope="col">Quality</th><th scope="col">Errors and warnings</th><th scope="col"><span className="visually-hidden">Output</span></th></tr>
          </thead>
          <tbody>
            {!data && fetching ? <tr><td colSpan={7}><span aria-busy="true">Loading jobs…</span></td></tr> : null}
            {data && jobs.length === 0 ? <tr><td colSpan={7} className="empty" data-testid="jobs-empty">No batch jobs yet. Import a manifest above, or run <code>npm run cli -- ingest manifest.csv</code>.</td></tr> : null}
            {ordered.map((job) => <JobRow key={job.id} job={job} byId={byId} progress={progress?.[job.id]} />)}
          </tbody>
        </table>
      </div>
      {data?.videoJobs.pageInfo.hasNextPage ? <p className="muted small">Showing the first {PAGE_SIZE} jobs; <code>npm run cli -- jobs</code> lists them all.</p> : null}
    </section>
  );
}
