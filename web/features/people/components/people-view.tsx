'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError, FormField } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import {
  ADD_PERSON_PHOTO_MUTATION, ENROLL_PERSON_MUTATION, ERASE_PERSON_MUTATION, IDENTITY_HEALTH_QUERY, PERSONS_QUERY, TAG_PERSON_MUTATION,
  type IdentityHealthResult, type Person, type PersonsResult,
} from '../graphql';

const PERSON_CONTEXT = { additionalTypenames: ['Person', 'PersonErasure'] };
const MAX_PHOTOS = 3;

/** A File as base64 without the data-URL prefix (the API takes plain base64). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

const splitTags = (text: string) => text.split(',').map((t) => t.trim()).filter((t) => t.length > 0);

/** Per-photo errors the server names (`extensions.photos`), shown beside the file list. */
function photoErrorsOf(error: unknown): string[] {
  const ext = (error as { graphQLErrors?: { extensions?: { photos?: { index: number; message: string }[] } }[] } | undefined)?.graphQLErrors?.[0]?.extensions;
  return (ext?.photos ?? []).map((p) => `Photo ${p.index + 1}: ${p.message}`);
}

function EnrollForm() {
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [result, enroll] = useMutation(ENROLL_PERSON_MUTATION);
  const errors = formErrorsFrom(result.error);
  const photoErrors = photoErrorsOf(result.error);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const photos = await Promise.all(files.map(base64Of));
    const res = await enroll({ input: { displayName: name.trim(), tags: splitTags(tags), photos } }, PERSON_CONTEXT);
    if (res.data) {
      setName('');
      setTags('');
      setFiles([]);
      form.reset();
    }
  }

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} aria-label="Enrol a person">
      <h2>Enrol a person</h2>
      <p className="muted small">Up to {MAX_PHOTOS} face photos, one face each, cropped to the face. Photos are turned into encrypted face vectors and discarded; no image is kept.</p>
      <FormField label="Name" error={errors.fields.displayName}>
        {(control) => <input {...control} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
      </FormField>
      <FormField label="Tags" hint="Comma-separated, for example VIP, staff." error={errors.fields.tags}>
        {(control) => <input {...control} value={tags} onChange={(e) => setTags(e.target.value)} />}
      </FormField>
      <FormField label="Face photos" error={errors.fields.photos}>
        {(control) => (
          <input {...control} type="file" accept="image/png,image/jpeg" multiple required data-testid="person-photos"
            onChange={(e) => setFiles(Array.from(e.target.files ?? []).slice(0, MAX_PHOTOS))} />
        )}
      </FormField>
      {photoErrors.length > 0 ? <ul className="field__error" role="alert" data-testid="photo-errors">{photoErrors.map((m) => <li key={m}>{m}</li>)}</ul> : null}
      <FormError message={photoErrors.length > 0 ? null : errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={result.fetching || files.length === 0}>{result.fetching ? 'Enrolling…' : 'Enrol'}</button>
      </div>
    </form>
  );
}

/**
 * One more face photo for an enrolled person: what the health panel advises when someone is
 * seen only as a weak match (their photos are not close enough to how the cameras see them).
 */
function AddPhoto({ person }: { person: Person }) {
  const [result, add] = useMutation(ADD_PERSON_PHOTO_MUTATION);
  async function onFile(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    await add({ input: { personId: person.id, photo: await base64Of(file) } }, PERSON_CONTEXT);
    input.value = '';
  }
  return (
    <>
      <label className="button file-button">
        {result.fetching ? 'Adding…' : 'Add photo'}
        <input type="file" accept="image/png,image/jpeg" className="visually-hidden" aria-label={`Add a face photo of ${person.displayName}`}
          disabled={result.fetching} data-testid="person-add-photo" onChange={(e) => void onFile(e.currentTarget)} />
      </label>
      <FormError message={formErrorsFrom(result.error).form} />
    </>
  );
}

function PersonRow({ person }: { person: Person }) {
  const [tags, setTags] = useState(person.tags.join(', '));
  const [tagResult, tag] = useMutation(TAG_PERSON_MUTATION);
  const [eraseResult, erase] = useMutation(ERASE_PERSON_MUTATION);
  function onErase() {
    if (!window.confirm(`Erase ${person.displayName}? Every face vector of them is deleted now and they are no longer recognised; the audit log keeps who erased whom and when. This cannot be undone.`)) return;
    void erase({ id: person.id }, PERSON_CONTEXT);
  }
  return (
    <tr data-testid="person" data-person-id={person.id}>
      <td data-label="Name" data-testid="person-name">{person.displayName}</td>
      <td data-label="Tags">
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void tag({ input: { personId: person.id, tags: splitTags(tags) } }, PERSON_CONTEXT); }}>
          <input aria-label={`Tags of ${person.displayName}`} value={tags} onChange={(e) => setTags(e.target.value)} />
          <button type="submit" className="button" disabled={tagResult.fetching}>Save tags</button>
        </form>
        {person.tags.map((t) => <span key={t} className="tag" data-testid="person-tag">{t}</span>)}
        <FormError message={formErrorsFrom(tagResult.error).form} />
      </td>
      <td data-label="Face vectors" data-testid="person-vectors">{person.embeddingCount}</td>
      <td data-label="Enrolled"><time dateTime={person.createdAt}>{new Date(person.createdAt).toLocaleString()}</time></td>
      <td className="cell-actions">
        <div className="actions row-actions"><AddPhoto person={person} /><button type="button" className="button button--danger" disabled={eraseResult.fetching} onClick={onErase}>Erase</button></div>
        <FormError message={formErrorsFrom(eraseResult.error).form} />
      </td>
    </tr>
  );
}

/**
 * What a weak match is and what to do about one. Weak matches (identity's review band) are
 * counted, never named: the admin learns that someone came close, not who.
 */
function WeakMatchHint({ count, accept, review }: { count: number; accept: number; review: number }) {
  const band = `${review.toFixed(2)}–${accept.toFixed(2)}`;
  if (count === 0) {
    return (
      <p className="muted small" data-testid="weak-match-hint">
        No weak matches. A weak match is a face that resembles someone enrolled but scores below the match threshold (similarity {band}, moved by the camera’s threshold offset): it is never named, and the live view marks its track “? unconfirmed”.
      </p>
    );
  }
  return (
    <div className="status-reason status-reason--warning weak-hint" role="status" data-testid="weak-match-hint">
      <strong>{count} weak {count === 1 ? 'match' : 'matches'}</strong> (face sightings) since the server started: a face resembled someone enrolled but scored below the match threshold (similarity {band}, moved by each camera’s threshold offset), so nobody was named. Live views mark such tracks “? unconfirmed”.
      <ul>
        <li>If it was someone you enrolled: add a clearer, front-facing photo of them (good light, both eyes visible, the face filling the photo) with <strong>Add photo</strong> on their row below: their photos are not close enough to how the camera sees them.</li>
        <li>If it happens mostly on one camera (dim light, steep angle, a small face): review that camera’s threshold offset (<code>setCameraThresholdOffset</code>, ±0.2). A negative offset names more people and risks naming the wrong one.</li>
        <li>If it was not someone you enrolled: nothing to do. They stay anonymous.</li>
      </ul>
    </div>
  );
}

function HealthPanel() {
  const [{ data, error }] = useQuery<IdentityHealthResult>({ query: IDENTITY_HEALTH_QUERY, context: PERSON_CONTEXT, requestPolicy: 'cache-and-network' });
  if (error) return <FormError message={formErrorsFrom(error).form} />;
  const h = data?.identityHealth;
  if (!h) return null;
  const alerts = h.drift.filter((d) => d.alert);
  return (
    <section className="card" aria-labelledby="identity-health-title" data-testid="identity-health">
      <h2 id="identity-health-title">Identity health</h2>
      <dl className="stats">
        <div><dt>Enrolled people</dt><dd data-testid="health-enrolled">{h.enrolledPeople}</dd></div>
        <div><dt>Face vectors indexed</dt><dd data-testid="health-vectors">{h.indexedVectors}</dd></div>
        <div><dt>Match threshold</dt><dd>{h.acceptThreshold.toFixed(2)} (review from {h.reviewThreshold.toFixed(2)})</dd></div>
        <div><dt>Weak matches (review)</dt><dd data-testid="health-weak-matches">{h.weakMatches}</dd></div>
        <div><dt>Name flicker</dt><dd>{h.flicker}</dd></div>
        <div><dt>False merges split</dt><dd>{h.falseMerges}</dd></div>
        <div><dt>Gate rejections</dt><dd>{h.gateRejections.length === 0 ? 0 : h.gateRejections.map((g) => `${g.reason} ${g.count}`).join(', ')}</dd></div>
      </dl>
      <WeakMatchHint count={h.weakMatches} accept={h.acceptThreshold} review={h.reviewThreshold} />
      {alerts.length > 0
        ? <p className="field__error" role="alert">Match quality is falling on {alerts.length} camera(s): check lighting and lens, or re-enrol.</p>
        : <p className="muted small">No drift: accepted matches score as they used to on every camera ({h.drift.length} with matches).</p>}
    </section>
  );
}

/** Enrolled people: enrol from photos, tag, erase (with confirmation); identity health. */
export function PeopleView() {
  const [{ data, error, fetching }] = useQuery<PersonsResult>({ query: PERSONS_QUERY, variables: { first: 100 }, context: PERSON_CONTEXT, requestPolicy: 'cache-and-network' });
  const people = data?.persons.edges.map((e) => e.node) ?? [];
  return (
    <section aria-labelledby="people-title">
      <div className="page-header">
        <div>
          <h1 id="people-title">People</h1>
          <p className="muted">People you enrol are recognised on cameras where identity is on (with recorded consent). Nobody else is ever named: unknown visitors stay anonymous.</p>
        </div>
      </div>
      <HealthPanel />
      <EnrollForm />
      <h2>Enrolled</h2>
      {error ? <FormError message={formErrorsFrom(error).form} /> : null}
      {fetching && !data ? <p className="loading" aria-busy="true">Loading…</p> : null}
      {data && people.length === 0 ? <p className="empty" data-testid="people-empty">Nobody is enrolled.</p> : null}
      {people.length > 0 ? (
        <div className="table-scroll">
          <table className="table table--cards" data-testid="people-table">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Tags</th><th scope="col">Face vectors</th><th scope="col">Enrolled</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>{people.map((p) => <PersonRow key={p.id} person={p} />)}</tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
