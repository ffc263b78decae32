import type { Metadata } from 'next';
import { AcceptInviteForm } from '@/features/members/components/accept-invite-form';

export const metadata: Metadata = { title: 'Accept invite' };

export default function AcceptInvitePage() {
  return <AcceptInviteForm />;
}
