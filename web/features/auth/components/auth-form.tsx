'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { FormError, FormField } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import {
  SIGN_IN_MUTATION, SIGN_UP_MUTATION,
  type SignInResult, type SignUpResult,
} from '../graphql';
import { useSessionStore } from '../hooks/use-session';

/** Sign-in form: email and password. */
export function SignInForm() {
  const session = useSessionStore();
  const [result, signIn] = useMutation<SignInResult>(SIGN_IN_MUTATION);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = formErrorsFrom(result.error);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const res = await signIn({ input: { email, password } });
    // <RequireNoSession> around the form moves on once the session exists.
    if (res.data) session.signIn(res.data.signIn);
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-labelledby="sign-in-title" noValidate>
      <h1 id="sign-in-title">Sign in</h1>
      <FormField label="Email" error={errors.fields.email}>
        {(p) => <input {...p} name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
      </FormField>
      <FormField label="Password" error={errors.fields.password}>
        {(p) => <input {...p} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
      </FormField>
      <FormError message={errors.form} />
      <button type="submit" className="button button--primary" disabled={result.fetching}>
        {result.fetching ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted">New here? <Link href="/sign-up">Create a tenant</Link></p>
    </form>
  );
}

/** Sign-up form: creates a tenant and its first admin, then signs in. */
export function SignUpForm() {
  const session = useSessionStore();
  const [result, signUp] = useMutation<SignUpResult>(SIGN_UP_MUTATION);
  const [tenantName, setTenantName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = formErrorsFrom(result.error);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const res = await signUp({ input: { tenantName, email, password } });
    if (res.data) session.signIn(res.data.signUp);
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-labelledby="sign-up-title" noValidate>
      <h1 id="sign-up-title">Create your tenant</h1>
      <FormField label="Organisation name" error={errors.fields.tenantName}>
        {(p) => <input {...p} name="tenantName" autoComplete="organization" required value={tenantName} onChange={(e) => setTenantName(e.target.value)} />}
      </FormField>
      <FormField label="Email" error={errors.fields.email}>
        {(p) => <input {...p} name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
      </FormField>
      <FormField label="Password" error={errors.fields.password} hint="At least 10 characters.">
        {(p) => <input {...p} name="password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
      </FormField>
      <FormError message={errors.form} />
      <button type="submit" className="button button--primary" disabled={result.fetching}>
        {result.fetching ? 'Creating…' : 'Sign up'}
      </button>
      <p className="muted">Already have an account? <Link href="/sign-in">Sign in</Link></p>
    </form>
  );
}
