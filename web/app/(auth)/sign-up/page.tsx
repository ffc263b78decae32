import type { Metadata } from 'next';
import { SignUpForm } from '@/features/auth/components/auth-form';

export const metadata: Metadata = { title: 'Sign up' };

export default function SignUpPage() {
  return <SignUpForm />;
}
