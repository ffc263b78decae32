'use client';

import { useId, type ReactNode } from 'react';

/** Props of {@link FormField}. */
export interface FormFieldProps {
  readonly label: string;
  /** Server or client error for this field; rendered under it and linked by aria-describedby. */
  readonly error?: string | undefined;
  readonly hint?: string;
  /** Renders the control with the ids it must carry. */
  readonly children: (control: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}

/** A labelled control with its hint and error next to it. */
export function FormField({ label, error, hint, children }: FormFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint ? <p id={hintId} className="field__hint">{hint}</p> : null}
      {error ? <p id={errorId} className="field__error" role="alert">{error}</p> : null}
    </div>
  );
}

/** A form-level error. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return <p className="form__error" role="alert">{message}</p>;
}
