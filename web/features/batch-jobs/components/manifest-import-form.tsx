'use client';

import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { FormError, FormField } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { IMPORT_MANIFEST_MUTATION, type ManifestImportResult } from '../graphql';

const JOB_CONTEXT = { additionalTypenames: ['VideoJob'] };

/**
 * Imports a manifest CSV through `importManifest`: a file picked here (read in the browser, as
 * UTF-8) or text pasted. Paths in it are paths on the server machine (docs/batch-jobs.md).
 */
export function ManifestImportForm({ onImported }: { onImported: () => void }) {
  const [csv, setCsv] = useState('');
  const [name, setName] = useState('manifest.csv');
  const [result, importManifest] = useMutation<ManifestImportResult>(IMPORT_MANIFEST_MUTATION);
  const errors = formErrorsFrom(result.error);
  const summary = result.data?.importManifest;

  async function pick(file: File | undefined) {
    if (!file) return;
    setName(file.name);
    setCsv(await file.text());
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await importManifest({ input: { csv, name } }, JOB_CONTEXT);
    if (res.data) onImported();
  }

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} aria-label="Import a manifest">
      <h2>Import videos</h2>
      <p className="muted small">
        A CSV with a header row and a <code>local_path</code> column (paths on the server machine, inside your media folders);
        <code> label</code>, <code>filename</code> and <code>remote_url</code> are optional. Each row becomes a job; the same video twice is processed once.
      </p>
      <FormField label="Manifest file" hint="Pick a .csv file, or paste its text below.">
        {(control) => <input {...control} type="file" accept=".csv,.tsv,.txt,text/csv" onChange={(e) => void pick(e.target.files?.[0])} />}
      </FormField>
      <FormField label="Manifest text" error={errors.fields.csv}>
        {(control) => <textarea {...control} rows={5} value={csv} onChange={(e) => setCsv(e.target.value)} placeholder={'local_path,label\n/data/videos/entrance-monday.mp4,entrance'} />}
      </FormField>
      <FormError message={errors.form} />
      <button type="submit" className="button button--primary" disabled={result.fetching || csv.trim() === ''}>Import</button>
      {summary ? (
        <div className="card" role="status" data-testid="manifest-import-summary">
          <p>
            Imported <strong>{summary.name}</strong>: {summary.jobs} jobs, {summary.queued} queued, {summary.duplicates} duplicates,{' '}
            {summary.missing} missing files, {summary.malformed} malformed rows.
          </p>
          {summary.problems.length > 0 ? (
            <ul className="small" data-testid="manifest-problems">
              {summary.problems.map((p) => (
                <li key={`${p.line}-${p.kind}`} data-kind={p.kind}>Line {p.line}: {p.kind.toLowerCase().replace('_', ' ')} — {p.message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
