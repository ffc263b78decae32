import type { Metadata } from 'next';
import { BatchJobsView } from '@/features/batch-jobs/components/batch-jobs-view';

export const metadata: Metadata = { title: 'Batch jobs' };

export default function BatchJobsPage() {
  return <BatchJobsView />;
}
