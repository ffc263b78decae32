'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError, FormField } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import {
  CHANGE_MEMBER_ROLE_MUTATION, INVITE_MEMBER_MUTATION, MEMBER_ROLES, REMOVE_MEMBER_MUTATION, ROLE_SUMMARY, TEAM_QUERY,
  type InviteMemberResult, type Member, type MemberRole, type TeamResult,
} from '../graphql';

const TEAM_CONTEXT = { additionalTypenames: ['Member', 'Invite'] };

/** The link of a just-created invite: shown once (only its hash is stored), with a copy button. */
function InviteLinkOnce({ email, url, onDone }: { email: string; url: string; onDone: () => void }) {
  return (
    <div className="card" role="status" data-testid="invite-link">
      <p><strong>Invite link for {email}</strong> — shown only now. No e-mail is sent: hand this link to them (it works once, for 7 days).</p>
      <p><code data-testid="invite-link-value">{url}</code></p>
      <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(url)}>Copy</button>{' '}
      <button type="button" className="button" onClick={onDone}>Done</button>
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: (email: string, url: string) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('MEMBER');
  const [result, invite] = useMutation<InviteMemberResult>(INVITE_MEMBER_MUTATION);
  const errors = formErrorsFrom(result.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await invite({ input: { email: email.trim(), role } }, TEAM_CONTEXT);
    if (res.data) {
      onInvited(res.data.inviteMember.invite.email, res.data.inviteMember.acceptUrl);
      setEmail('');
    }
  }

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} aria-label="Invite a member" noValidate>
      <h2>Invite a member</h2>
      <FormField label="Email" error={errors.fields.email}>
        {(control) => <input {...control} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} placeholder="colleague@example.com" />}
      </FormField>
      <FormField label="Role" error={errors.fields.role} hint={ROLE_SUMMARY[role]}>
        {(control) => (
          <select {...control} value={role} onChange={(e) => setRole(e.target.value as MemberRole)}>
            {MEMBER_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        )}
      </FormField>
      <FormError message={errors.form} />
      <button type="submit" className="button button--primary" disabled={result.fetching}>Create invite link</button>
    </form>
  );
}

function MemberRow({ member }: { member: Member }) {
  const [changed, changeRole] = useMutation(CHANGE_MEMBER_ROLE_MUTATION);
  const [removed, remove] = useMutation(REMOVE_MEMBER_MUTATION);
  const error = formErrorsFrom(changed.error ?? removed.error).form;
  return (
    <tr data-testid="member" data-email={member.email} data-role={member.role}>
      <td>{member.email}</td>
      <td>
        <select
          aria-label={`Role of ${member.email}`}
          value={member.role}
          disabled={changed.fetching}
          onChange={(e) => void changeRole({ userId: member.id, role: e.target.value }, TEAM_CONTEXT)}
        >
          {MEMBER_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </td>
      <td>{new Date(member.joinedAt).toLocaleDateString()}</td>
      <td>
        <button
          type="button"
          className="button"
          aria-label={`Remove ${member.email}`}
          onClick={() => { if (window.confirm(`Remove ${member.email}? Their sign-ins end now.`)) void remove({ userId: member.id }, TEAM_CONTEXT); }}
        >
          Remove
        </button>
        {error ? <p className="form__error" role="alert" data-testid="member-error">{error}</p> : null}
      </td>
    </tr>
  );
}

/** The team: members with their roles (change, remove), invites (link shown once) and pending invites. */
export function MembersView() {
  const [{ data, error, fetching }] = useQuery<TeamResult>({ query: TEAM_QUERY, context: TEAM_CONTEXT });
  const [created, setCreated] = useState<{ email: string; url: string } | null>(null);
  return (
    <section className="page">
      <h1>Members</h1>
      <p className="muted">Roles: OWNER, ADMIN, MEMBER, VIEWER (the permission table is in docs/TEAM.md). A tenant always keeps at least one OWNER.</p>
      {created ? <InviteLinkOnce email={created.email} url={created.url} onDone={() => setCreated(null)} /> : null}
      <InviteForm onInvited={(email, url) => setCreated({ email, url })} />
      {error ? <FormError message={formErrorsFrom(error).form} /> : null}
      {fetching && !data ? <p className="loading" aria-busy="true">Loading…</p> : null}
      {data ? (
        <table className="table" data-testid="members">
          <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Joined</th><th scope="col" /></tr></thead>
          <tbody>{data.members.map((m) => <MemberRow key={m.id} member={m} />)}</tbody>
        </table>
      ) : null}
      {data && data.invites.length > 0 ? (
        <>
          <h2>Pending invites</h2>
          <ul data-testid="pending-invites">
            {data.invites.map((i) => <li key={i.id} data-testid="pending-invite">{i.email} · {i.role} · until {new Date(i.expiresAt).toLocaleDateString()}</li>)}
          </ul>
        </>
      ) : null}
    </section>
  );
}
