'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { useSessionStore } from '@/features/auth/hooks/use-session';
import { FormError, FormField } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { ACCEPT_INVITE_MUTATION, type AcceptInviteResult } from '../graphql';

/** Accepts the invite of the link (`/invite#token=…`: the fragment never reaches a server) with a new password. */
export function AcceptInviteForm() {
  const session = useSessionStore();
  const [token, setToken] = useState('');
  const [password, setPassword] = useState('');
  const [result, accept] = useMutation<AcceptInviteResult>(ACCEPT_INVITE_MUTATION);
  const errors = formErrorsFrom(result.error);

  useEffect(() => {
    setToken(new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '');
  }, []);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const res = await accept({ input: { token, password } });
    // <RequireNoSession> around the form moves on once the session exists.
    if (res.data) session.signIn(res.data.acceptInvite);
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-labelledby="invite-title" noValidate>
      <h1 id="invite-title">Join your team</h1>
      {token ? null : <p className="form__error" role="alert">This page needs the invite link you were given.</p>}
      <FormField label="Choose a password" error={errors.fields.password} hint="At least 10 characters.">
        {(p) => <input {...p} name="password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
      </FormField>
      <FormError message={errors.fields.token ?? errors.form} />
      <button type="submit" className="button button--primary" disabled={result.fetching || !token}>Accept invite</button>
    </form>
  );
}
