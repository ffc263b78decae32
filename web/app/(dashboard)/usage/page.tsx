import type { Metadata } from 'next';
import { UsagePlanView } from '@/features/billing/components/usage-plan-view';

export const metadata: Metadata = { title: 'Usage & plan' };

export default function UsagePage() {
  return <UsagePlanView />;
}
